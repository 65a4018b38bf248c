// Conditionally revealed questions for radios and checkboxes, as GOV.UK Frontend's, but
// without the aria-expanded it adds to each input: ARIA does not allow that attribute on
// radios or checkboxes (govuk-frontend issue #979) and every page here must pass axe-core.
// Without JavaScript every revealed question simply shows.

function hiddenClass(panel) {
  return panel.classList.contains("govuk-radios__conditional")
    ? "govuk-radios__conditional--hidden"
    : "govuk-checkboxes__conditional--hidden";
}

function sync(group) {
  for (const input of group.querySelectorAll("input[aria-controls]")) {
    const panel = document.getElementById(input.getAttribute("aria-controls"));
    if (panel) {
      panel.classList.toggle(hiddenClass(panel), !input.checked);
    }
  }
}

for (const group of document.querySelectorAll('[data-module="app-reveal"]')) {
  sync(group);
  group.addEventListener("change", () => sync(group));
}
// Browsers restore form state when going back; show what the restored answers reveal.
window.addEventListener("pageshow", () => {
  for (const group of document.querySelectorAll('[data-module="app-reveal"]')) {
    sync(group);
  }
});
