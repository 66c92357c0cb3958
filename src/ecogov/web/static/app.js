// Behaviour every page shares. Pages carry no inline event handlers (the Content-Security-Policy
// refuses them): they are attached here.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const switcher = document.getElementById("region-switcher");
  if (switcher && switcher.form) {
    switcher.addEventListener("change", () => switcher.form.submit());
  }
  // A page shared by everyone who sees the same rows fetches its parts about who looks (their
  // own tasks) from the address in data-fragment: HTML of this server, put in place as it is.
  for (const part of document.querySelectorAll("[data-fragment]")) {
    fetch(part.dataset.fragment, { credentials: "same-origin" })
      .then((answer) => (answer.ok ? answer.text() : ""))
      .then((html) => { part.innerHTML = html; })
      .catch(() => { part.textContent = ""; });
  }
});
