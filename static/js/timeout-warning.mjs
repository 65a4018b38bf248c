// The GOV.UK timeout warning: officials are signed out after a period without activity
// (accounts.middleware.IdleTimeoutMiddleware). Shortly before, a modal dialog says so and
// offers to stay signed in; when the time is up the page reloads, and the service signs the
// person out and tells them why.
export function startTimeoutWarning(dialog) {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  let warnAt, endAt, ticking;

  function schedule() {
    clearTimeout(warnAt);
    clearTimeout(endAt);
    clearInterval(ticking);
    warnAt = setTimeout(warn, idle - warning);
    // Two seconds late, so the service (counting whole seconds) agrees the time is up.
    endAt = setTimeout(() => window.location.reload(), idle + 2000);
  }

  function warn() {
    const ends = Date.now() + warning;
    const tick = () => {
      const seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
      const minutes = Math.floor(seconds / 60);
      countdown.textContent =
        minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${seconds} seconds`;
    };
    tick();
    ticking = setInterval(tick, 15000);
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-stay-signed-in]").focus();
  }

  async function stay() {
    await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    dialog.close();
    schedule();
  }

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", stay);
  // Escape would close the dialog without keeping the session: treat it as staying.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule();
}
