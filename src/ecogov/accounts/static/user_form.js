// The account form offers, for the chosen role, only the regions and enterprise it may take:
// a county officer the counties, a city officer the cities, a province officer the provinces,
// a leader any level, an enterprise user an enterprise and no region, an admin neither.
// A convenience only: the service checks every combination again.
(function () {
  "use strict";
  const form = document.getElementById("user-form");
  if (!form) return;
  const role = document.getElementById("user-role");
  const region = document.getElementById("user-region");
  const enterprise = document.getElementById("user-enterprise");
  const LEVEL = { province_officer: "province", city_officer: "city", county_officer: "county" };

  function apply() {
    const chosen = role.value;
    const takesRegion = chosen !== "admin" && chosen !== "enterprise";
    const level = LEVEL[chosen];
    region.disabled = !takesRegion;
    for (const group of region.querySelectorAll("optgroup")) {
      const fits = takesRegion && (!level || group.dataset.level === level);
      group.hidden = !fits;
      group.disabled = !fits;
    }
    const selected = region.selectedOptions[0];
    if (!takesRegion || (selected && selected.parentElement.disabled)) region.value = "";
    if (enterprise) {
      enterprise.disabled = chosen !== "enterprise";
      if (enterprise.disabled) enterprise.value = "";
    }
  }

  role.addEventListener("change", apply);
  apply();
})();
