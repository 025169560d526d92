/**
 * Encrypts what must not be readable at rest: webhook URLs (they embed tokens), bot tokens, HMAC
 * secrets, SMTP passwords. The adapter (`src/notify/aes-secret-box.ts`) uses AES-256-GCM, so a
 * sealed value that was altered fails to open instead of decrypting to garbage.
 */
export interface SecretBox {
  /** An opaque printable string holding `plaintext` encrypted and authenticated. */
  seal(plaintext: string): string;
  /** The plaintext; throws VigilError INTERNAL when the value was altered or sealed with another key. */
  open(sealed: string): string;
}
