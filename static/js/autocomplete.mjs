// The local-authority choice (150 councils) as GOV.UK's accessible autocomplete: a text box
// that suggests authorities as you type. It enhances `select[data-module="app-autocomplete"]`;
// the select stays in the page, hidden, and is what the form sends, so without JavaScript
// (or before this runs) the plain select works as it is. The library is fetched only by a
// page that has such a select.

const SELECTOR = 'select[data-module="app-autocomplete"]';

function enhance(select, accessibleAutocomplete) {
  const label = (option) => option.textContent.trim();
  const chosen = select.value ? label(select.selectedOptions[0]) : "";
  const id = select.id;
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen,
    showAllValues: true,
    // The library keeps the select's last choice when the box is emptied or holds text that
    // names no authority; the select is cleared instead, so the service says what is missing.
    onConfirm: (confirmed) => {
      const typed = confirmed ?? document.getElementById(id)?.value ?? "";
      const match = Array.from(select.options).find((option) => option.value && label(option) === typed.trim());
      select.value = match ? match.value : "";
    },
  });
}

export async function startAutocompletes() {
  const selects = document.querySelectorAll(SELECTOR);
  if (!selects.length) return;
  // A UMD bundle: imported for what it does, it sets window.accessibleAutocomplete.
  await import("../accessible-autocomplete/accessible-autocomplete.min.js");
  for (const select of selects) enhance(select, window.accessibleAutocomplete);
}
