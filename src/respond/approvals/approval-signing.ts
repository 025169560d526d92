import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { VigilError } from '../../core/errors.js';
import type { JsonObject } from '../../core/alert.js';
import { canonicalJson } from '../../record/canonical-json.js';
import type { ApprovalDecision, ApprovalRequest } from './approval.js';

/**
 * What an approver signs about a request: every fact that decides what will be done, the policy
 * that applied, and a nonce. It is rebuilt from the stored request when a signature is verified,
 * so a request edited in the database no longer verifies.
 */
export function approvalPayload(request: ApprovalRequest): JsonObject {
  return {
    v: 1,
    kind: 'vigil.approval_request',
    id: request.id,
    nonce: request.nonce,
    action: request.action,
    parameters: { ...request.parameters },
    incidentId: request.incidentId,
    reason: request.reason,
    requester: { kind: request.requester.kind, id: request.requester.id, name: request.requester.name },
    m: request.m,
    approvers: [...request.approvers],
    createdAt: new Date(request.createdAt).toISOString(),
    expiresAt: new Date(request.expiresAt).toISOString(),
  };
}

/**
 * The exact bytes an approver signs: the canonical JSON (RFC 8785) of the payload with the
 * approver's handle and decision, so an approval cannot be replayed as another person's or as a
 * rejection.
 */
export function approvalMessage(input: { payload: JsonObject; approver: string; decision: ApprovalDecision }): Buffer {
  return Buffer.from(canonicalJson({ approver: input.approver, decision: input.decision, request: input.payload }), 'utf8');
}

function publicKeyOf(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', 'the public key is not a PEM public key', { cause, details: [{ path: 'publicKey', message: 'is not a PEM public key' }] });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new VigilError('VALIDATION_FAILED', `the public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`, { details: [{ path: 'publicKey', message: 'must be an Ed25519 key' }] });
  }
  return key;
}

/** The key in canonical SPKI PEM with its fingerprint (SHA-256 of the DER, hex); VALIDATION_FAILED unless Ed25519. */
export function normalisePublicKey(pem: string): { publicKey: string; fingerprint: string } {
  const key = publicKeyOf(pem);
  const der = key.export({ type: 'spki', format: 'der' });
  return { publicKey: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: createHash('sha256').update(der).digest('hex') };
}

/** Signs locally with an Ed25519 private key (PKCS#8 PEM); base64. The key never leaves the caller. */
export function signApprovalMessage(privateKeyPem: string, message: Buffer): string {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', 'the private key is not a PEM private key', { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new VigilError('VALIDATION_FAILED', 'the private key is not an Ed25519 key');
  return sign(null, message, key).toString('base64');
}

/** True when `signature` (base64) is `publicKeyPem`'s Ed25519 signature of `message`. */
export function verifyApprovalMessage(input: { publicKey: string; message: Buffer; signature: string }): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(input.signature)) return false;
  const bytes = Buffer.from(input.signature, 'base64');
  if (bytes.length !== 64) return false;
  try {
    return verify(null, input.message, publicKeyOf(input.publicKey), bytes);
  } catch {
    return false;
  }
}

/** A new Ed25519 key pair in PEM: PKCS#8 private, SPKI public. */
export function generateApproverKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
