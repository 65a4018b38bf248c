// Keeps the progress of reports being built up to date on the reports page, and swaps in
// the download link when a report is ready. Without JavaScript the page has a Refresh link.
const POLL_EVERY_MS = 1500;

function downloadLink(status, label) {
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.href = status.download_url;
  link.textContent = "Download";
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = ` ${label}`;
  link.append(hidden);
  return link;
}

function show(row, status) {
  const tag = row.querySelector("[data-export-state]");
  if (tag.textContent !== status.state_label) {
    tag.textContent = status.state_label;
    tag.className = `govuk-tag ${status.tag_class}`;
  }
  const action = row.querySelector("[data-export-action]");
  const bar = action.querySelector("progress");
  if (status.in_progress) {
    bar.value = status.percent;
    bar.textContent = `${status.percent}%`;
    action.querySelector("[data-export-message]").textContent = status.message;
    return;
  }
  const label = bar ? bar.getAttribute("aria-label").replace(/ progress$/, "") : "report";
  // Replacing the Refresh link under a keyboard user's focus would drop focus to the top of
  // the page: it moves to what replaces it instead.
  const hadFocus = action.contains(document.activeElement);
  let replacement;
  if (status.state === "done") {
    replacement = downloadLink(status, label);
  } else {
    replacement = document.createElement("span");
    replacement.className = "govuk-body-s";
    replacement.textContent = status.error || status.state_label;
    replacement.tabIndex = -1;
  }
  action.replaceChildren(replacement);
  if (hadFocus) replacement.focus();
}

async function follow(row) {
  let status;
  try {
    const response = await fetch(row.dataset.exportStatusUrl, {
      // Polling is not the person doing something: it must not keep their session alive.
      headers: { Accept: "application/json", "X-Background-Request": "1" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    status = await response.json();
  } catch {
    // A dropped connection: try again on the next tick rather than give up.
    setTimeout(() => follow(row), POLL_EVERY_MS * 2);
    return;
  }
  show(row, status);
  if (status.in_progress) setTimeout(() => follow(row), POLL_EVERY_MS);
}

for (const row of document.querySelectorAll("[data-export-status-url]")) {
  follow(row);
}
