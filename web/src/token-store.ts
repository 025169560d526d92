/**
 * The API token lives in sessionStorage: it survives a reload of the tab and is gone when the tab
 * closes; it is never written to localStorage or a cookie.
 */
const key = 'vigil.token';

export const tokenStore = {
  get(): string | null {
    return sessionStorage.getItem(key);
  },
  set(token: string): void {
    sessionStorage.setItem(key, token);
  },
  clear(): void {
    sessionStorage.removeItem(key);
  },
};
