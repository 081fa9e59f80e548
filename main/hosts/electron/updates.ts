/**
 * Update checks (electron-updater) run only when configured: electron-builder
 * writes `resources/app-update.yml` only for a build with a `publish`
 * setting, and the shipped configuration has none (`"publish": null`), so a
 * Claimdesk built from this repository never calls out. Whoever publishes
 * builds adds a `publish` provider; `CLAIMDESK_NO_UPDATES=1` still turns it off.
 */
export function shouldCheckForUpdates(o: {
  packaged: boolean;
  updateConfigExists: boolean;
  env: Record<string, string | undefined>;
}): boolean {
  return o.packaged && o.updateConfigExists && o.env.CLAIMDESK_NO_UPDATES !== '1';
}
