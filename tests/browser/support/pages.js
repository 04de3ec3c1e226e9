// Steps the journey takes on each page, by the pages' data-testid hooks (documented at the
// top of web/app/main.js's screens, web/till/main.js and web/console/main.js).

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

// The cardholder app ------------------------------------------------------------------

export async function openChannel(app, baseUrl, channel) {
  await app.goto(`${baseUrl}/app/#/c/${channel}`);
  await byTestId(app, "apply-start").waitFor();
}

export async function startApplication(app, name, idNumber) {
  await byTestId(app, "apply-start").click();
  await fillApplication(app, name, idNumber);
}

export async function fillApplication(app, name, idNumber) {
  await byTestId(app, "apply-name").fill(name);
  await byTestId(app, "apply-id").fill(idNumber);
  await byTestId(app, "apply-next").click();
}

// The code the sandbox SMS gateway delivered to `phone`, as the app's SMS step shows it.
export async function smsCodeShown(app) {
  const bubble = byTestId(app, "sandbox-sms");
  await bubble.filter({ hasText: /\d{6}/ }).waitFor();
  return (await bubble.textContent()).match(/\d{6}/)[0];
}

export async function passSms(app, account, phone) {
  await byTestId(app, "sms-account").fill(account);
  await byTestId(app, "sms-phone").fill(phone);
  await byTestId(app, "sms-send").click();
  await byTestId(app, "sms-sent").waitFor();
  await byTestId(app, "sms-code").fill(await smsCodeShown(app));
  await byTestId(app, "sms-verify").click();
}

export async function passFace(app) {
  await byTestId(app, "face-outcome-match").check();
  await byTestId(app, "face-start").click();
}

export async function openEcard(app, baseUrl, channel) {
  await openChannel(app, baseUrl, channel);
  await byTestId(app, "ecard-item").first().click();
  await byTestId(app, "ecard-visual").waitFor();
}

// Waits for `ready` on a screen behind the e-card session: the session may still be open
// from an earlier step, so the password goes in only when the screen asks for it.
export async function behindSession(app, password, ready) {
  await app.locator(`[data-testid="session-form"], [data-testid="${ready}"]`).first().waitFor();
  if (await byTestId(app, "session-form").count()) {
    await byTestId(app, "session-password").fill(password);
    await byTestId(app, "session-open").click();
  }
  await byTestId(app, ready).first().waitFor();
}

export async function ecardStatus(app) {
  return byTestId(app, "ecard-visual").getAttribute("data-status");
}

// The counter console ----------------------------------------------------------------

export async function consoleLogin(desk, baseUrl, username, password) {
  await desk.goto(`${baseUrl}/console/`);
  await byTestId(desk, "console-login-username").fill(username);
  await byTestId(desk, "console-login-password").fill(password);
  await byTestId(desk, "console-login-submit").click();
  await byTestId(desk, "console-desk").waitFor();
}

export async function consoleLookup(desk, idNumber) {
  await byTestId(desk, "console-lookup-id").fill(idNumber);
  await byTestId(desk, "console-lookup-submit").click();
  await byTestId(desk, "console-card-panel").waitFor();
}

// Runs a card action, filling its dialog's fields; resolves once the card panel shows
// `expectedState`.
export async function consoleCardAction(desk, action, expectedState, fields = {}) {
  await byTestId(desk, `console-action-${action}`).click();
  const dialog = byTestId(desk, `console-dialog-${action}`);
  if (await dialog.count()) {
    for (const [name, value] of Object.entries(fields)) await byTestId(desk, `console-dialog-${name}`).fill(value);
    await byTestId(desk, "console-dialog-confirm").click();
    await dialog.waitFor({ state: "detached" });
  }
  await desk.locator(`[data-testid="console-card-panel"][data-state="${expectedState}"]`).waitFor();
}

// A level-2 e-card in the 政务 app for a person of the demo data: the face check fails its
// liveness, and the app goes on with the bank's four-factor SMS check (R-E4).
export async function issueWithSms(app, baseUrl, person, password) {
  await openChannel(app, baseUrl, "gov");
  await startApplication(app, person.name, person.id);
  await byTestId(app, "face-outcome-liveness_fail").check();
  await byTestId(app, "face-start").click();
  await byTestId(app, "use-sms").click();
  await passSms(app, person.account, person.phone);
  await byTestId(app, "new-password").fill(password);
  await byTestId(app, "new-password-confirm").fill(password);
  return issue(app);
}

// Submits the password step of an application; resolves with the level it was issued at.
export async function issue(app) {
  await byTestId(app, "issue").click();
  const done = byTestId(app, "apply-done");
  await done.waitFor();
  return (await done.locator(".badge--level2").count()) ? 2 : 1;
}
