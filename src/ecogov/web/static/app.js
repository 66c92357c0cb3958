// Behaviour every page shares. Pages carry no inline event handlers (the Content-Security-Policy
// refuses them): they are attached here.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const switcher = document.getElementById("region-switcher");
  if (switcher && switcher.form) {
    switcher.addEventListener("change", () => switcher.form.submit());
  }
});
