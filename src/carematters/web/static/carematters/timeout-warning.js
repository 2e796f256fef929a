// Signs a person out after the session's idle time (settings.SESSION_COOKIE_AGE), warning
// them first. The dialog opens 2 minutes before the end (half-way through a shorter
// session), counts down, and offers "Stay signed in", which asks the server to renew the
// session; Escape does the same. When time is up the page posts its sign-out form, and the
// server says why on the "You have been signed out" page. Without JavaScript the server
// still ends the session; there is just no warning.

function inWords(seconds) {
  // As carematters.web.session.idle.duration_in_words: "1 minute 30 seconds".
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function initTimeoutWarning(scope = document) {
  const dialog = scope.querySelector('[data-module="carematters-timeout-warning"]');
  if (!dialog || typeof dialog.showModal !== "function") return;

  const sessionMs = Number(dialog.dataset.sessionSeconds) * 1000;
  // The server renews a session at most once a minute, so a page may open with less than
  // the whole idle time left; after "Stay signed in" it has the whole of it again.
  const leftMs = Number(dialog.dataset.secondsLeft) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const signOutForm = dialog.querySelector("[data-timeout-sign-out]");
  const token = signOutForm.querySelector('input[name="csrfmiddlewaretoken"]').value;
  let endsAt = 0;
  let timers = [];

  function clearTimers() {
    timers.forEach((timer) => clearTimeout(timer));
    timers = [];
  }

  function showRemaining() {
    const seconds = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    countdown.textContent = inWords(seconds);
    if (seconds > 0) timers.push(setTimeout(showRemaining, 1000));
  }

  function warn() {
    showRemaining();
    dialog.showModal();
  }

  function signOut() {
    clearTimers();
    signOutForm.submit();
  }

  function start(ms) {
    clearTimers();
    endsAt = Date.now() + ms;
    timers.push(setTimeout(warn, Math.max(0, ms - warningMs)), setTimeout(signOut, ms));
  }

  async function staySignedIn() {
    let response;
    try {
      response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
      });
    } catch {
      return; // No answer (offline): the warning stays up, and the person may try again.
    }
    if (!response.ok) {
      signOut(); // The session had already ended on the server.
      return;
    }
    dialog.close();
    start(sessionMs);
  }

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  start(leftMs);
}
