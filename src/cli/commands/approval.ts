import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import type { JsonObject } from '../../core/alert.js';
import { VigilError, httpStatusByCode, type ErrorCode } from '../../core/errors.js';
import { presentApproval, presentApprovalVerification, presentApprover, presentPolicy, presentSignature } from '../../http/present-playbooks.js';
import { findApprovalRequest, verifyApproval, type ApprovalVerification } from '../../respond/approvals/approval-service.js';
import { approvalMessage, approvalPayload, generateApproverKeyPair, normalisePublicKey, signApprovalMessage } from '../../respond/approvals/approval-signing.js';
import type { ApprovalDecision, ApprovalStatus } from '../../respond/approvals/approval.js';
import type { CliContext } from '../cli.js';
import { integer } from './arguments.js';
import { keyValue } from './incident-playbooks.js';
import { readText } from './playbook.js';
import { print, withVigil } from './with-vigil.js';

/** Where `approval sign` submits: a running server's API, or (without --server) the configured store. */
interface Remote {
  readonly server?: string;
  readonly token?: string;
}

/** One call to a running Vigil's API; its error answer becomes the same VigilError. */
async function api<T>(remote: Required<Remote>, request: { method: 'GET' | 'POST'; path: string; body?: object }): Promise<T> {
  const url = new URL(request.path, remote.server.endsWith('/') ? remote.server : `${remote.server}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: { authorization: `Bearer ${remote.token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
  } catch (cause) {
    throw new VigilError('STORE_UNAVAILABLE', `cannot reach ${url.origin}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, retryable: true });
  }
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) {
    const code = body.error?.code !== undefined && body.error.code in httpStatusByCode ? (body.error.code as ErrorCode) : 'INTERNAL';
    throw new VigilError(code, body.error?.message ?? `${response.status} from ${url.pathname}`);
  }
  return body as T;
}

function remoteOf(opts: Remote): Required<Remote> | undefined {
  if (opts.server === undefined) return undefined;
  if (opts.token === undefined) throw new VigilError('VALIDATION_FAILED', '--server needs --token (or VIGIL_TOKEN): a responder token');
  return { server: opts.server, token: opts.token };
}

const serverOption = () => new Option('--server <url>', 'a running Vigil (e.g. http://127.0.0.1:8080); without it, the configured store').env('VIGIL_URL');
const tokenOption = () => new Option('--token <token>', 'API token for --server (responder or above)').env('VIGIL_TOKEN');

function describeVerification(v: ApprovalVerification): string {
  return [
    `${v.ok ? 'ok' : 'FAILED'}: ${v.requestId} ${v.status}, ${v.validApprovals} of ${v.m} approvals verify`,
    ...v.signatures.map((s) => `  ${s.ok ? 'ok ' : 'BAD'} ${s.approver.padEnd(16)} ${s.decision.padEnd(8)} key ${s.keyFingerprint.slice(0, 16)}…${s.problem === null ? '' : `  ${s.problem}`}`),
    ...v.problems.filter((p) => !v.signatures.some((s) => p.startsWith(`${s.approver}:`))).map((p) => `  ${p}`),
  ].join('\n');
}

/** `vigil approver add|list|revoke|keygen`: people who approve, and their Ed25519 keys. */
export function approverCommand(context: CliContext): Command {
  const approver = new Command('approver').description("approvers and their Ed25519 keys (M-of-N approvals)");

  approver
    .command('keygen')
    .description('write a new Ed25519 key pair on this machine: NAME.pem (private, mode 600) and NAME.pub.pem')
    .requiredOption('--out <dir>', 'directory to write the keys to')
    .option('--name <name>', 'file name (your handle)', 'approver')
    .option('--json', 'print JSON')
    .action(async (opts: { out: string; name: string; json?: boolean }) => {
      const pair = generateApproverKeyPair();
      await mkdir(opts.out, { recursive: true });
      const privatePath = join(opts.out, `${opts.name}.pem`);
      const publicPath = join(opts.out, `${opts.name}.pub.pem`);
      try {
        // wx: never overwrite a key someone may still need.
        await writeFile(privatePath, pair.privateKey, { mode: 0o600, flag: 'wx' });
        await writeFile(publicPath, pair.publicKey, { mode: 0o644, flag: 'wx' });
      } catch (cause) {
        throw new VigilError('CONFLICT', `cannot write the key pair: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      const { fingerprint } = normalisePublicKey(pair.publicKey);
      print(context, {
        json: opts.json,
        value: { privateKey: privatePath, publicKey: publicPath, fingerprint },
        human: () => `private key ${privatePath} (keep it; it never leaves this machine)\npublic key  ${publicPath}\nfingerprint ${fingerprint}`,
      });
    });

  approver
    .command('add')
    .description("register an approver's public key")
    .argument('<handle>', 'the handle approval policies name, e.g. alice')
    .requiredOption('--public-key <file>', 'the Ed25519 public key (PEM)')
    .option('--json', 'print JSON')
    .action(async (handle: string, opts: { publicKey: string; json?: boolean }) => {
      const publicKey = await readText(opts.publicKey);
      const added = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.approvals.registerApprover(tx, { handle, publicKey, actor: context.actor })));
      print(context, { json: opts.json, value: { approver: presentApprover(added) }, human: () => `${added.handle} registered, key ${added.fingerprint}` });
    });

  approver
    .command('list')
    .description('approvers and their keys')
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listApprovers({ includeRevoked: opts.all === true }));
      print(context, {
        json: opts.json,
        value: { approvers: list.map(presentApprover) },
        human: () =>
          list.length === 0 ? 'no approvers' : list.map((a) => `${a.handle.padEnd(16)} ${a.fingerprint}${a.revokedAt === null ? '' : `  revoked ${new Date(a.revokedAt).toISOString()}`}`).join('\n'),
      });
    });

  approver
    .command('revoke')
    .description("revoke an approver's key (past signatures stay verifiable)")
    .argument('<handle>', 'the approver')
    .action(async (handle: string) => {
      const revoked = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.approvals.revokeApprover(tx, { handle, actor: context.actor })));
      context.io.out(`${handle}'s key ${revoked.fingerprint} revoked\n`);
    });

  return approver;
}

/** `vigil approval policy|request|list|show|sign|execute|verify`. */
export function approvalCommand(context: CliContext): Command {
  const approval = new Command('approval').description('M-of-N approvals of dangerous actions, signed with Ed25519');

  const policy = approval.command('policy').description('who approves which action');
  policy
    .command('set')
    .description('M of the N named approvers must approve ACTION')
    .argument('<action>', 'resume_withdrawals, rotate_hot_wallet_keys, unpause_contract, or your own')
    .addOption(new Option('--m <n>', 'approvals needed').argParser(integer('--m', 1)).makeOptionMandatory())
    .requiredOption('--approvers <handles>', 'comma-separated handles')
    .option('--description <text>', 'what the action is')
    .option('--json', 'print JSON')
    .action(async (action: string, opts: { m: number; approvers: string; description?: string; json?: boolean }) => {
      const approvers = opts.approvers.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const saved = await withVigil(context, (vigil) =>
        vigil.store.write((tx) =>
          vigil.approvals.putPolicy(tx, { action, m: opts.m, approvers, ...(opts.description === undefined ? {} : { description: opts.description }), actor: context.actor }),
        ),
      );
      print(context, { json: opts.json, value: { policy: presentPolicy(saved) }, human: () => `${saved.action}: ${saved.m} of ${saved.approvers.join(', ')}` });
    });
  policy
    .command('list')
    .description('every approval policy')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listApprovalPolicies());
      print(context, {
        json: opts.json,
        value: { policies: list.map(presentPolicy) },
        human: () => (list.length === 0 ? 'no approval policies' : list.map((p) => `${p.action.padEnd(24)} ${p.m} of ${p.approvers.join(', ')}`).join('\n')),
      });
    });

  approval
    .command('request')
    .description('ask for approval of an action')
    .requiredOption('--action <action>', 'e.g. resume_withdrawals')
    .requiredOption('--reason <text>', 'why now')
    .option('--incident <id>', 'the incident it is for (INC-42)')
    .option('--param <name=value>', 'what exactly, e.g. chain=bitcoin (repeatable)', keyValue('--param'))
    .option('--json', 'print JSON')
    .action(async (opts: { action: string; reason: string; incident?: string; param?: Record<string, string>; json?: boolean }) => {
      const created = await withVigil(context, (vigil) =>
        vigil.store.write((tx) =>
          vigil.approvals.request(tx, {
            action: opts.action,
            reason: opts.reason,
            parameters: opts.param ?? {},
            ...(opts.incident === undefined ? {} : { incident: opts.incident }),
            actor: context.actor,
          }),
        ),
      );
      print(context, {
        json: opts.json,
        value: { approval: presentApproval(created), payload: approvalPayload(created) },
        human: () => `approval request ${created.id}: ${created.action} needs ${created.m} of ${created.approvers.join(', ')}\napprovers sign with: vigil approval sign ${created.id} --key HANDLE.pem`,
      });
    });

  approval
    .command('list')
    .description('approval requests, newest first')
    .addOption(new Option('--status <status>', 'only these').choices(['pending', 'approved', 'rejected', 'executed']))
    .option('--json', 'print JSON')
    .action(async (opts: { status?: ApprovalStatus; json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listApprovalRequests({ limit: 100, ...(opts.status === undefined ? {} : { statuses: [opts.status] }) }));
      print(context, {
        json: opts.json,
        value: { approvals: list.map((a) => presentApproval(a)) },
        human: () => (list.length === 0 ? 'no approval requests' : list.map((a) => `${a.id}  ${a.status.padEnd(9)} ${a.action.padEnd(24)} ${a.m} of ${a.approvers.length}  ${a.reason}`).join('\n')),
      });
    });

  approval
    .command('show')
    .description('a request, its payload to sign, and the signatures so far')
    .argument('<id>', 'request id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => {
        const request = await findApprovalRequest(vigil.store.read, id);
        return { request, signatures: await vigil.store.read.listApprovalSignatures(id) };
      });
      const value = { approval: presentApproval(shown.request, shown.signatures), payload: approvalPayload(shown.request), signatures: shown.signatures.map(presentSignature) };
      print(context, {
        json: opts.json,
        value,
        human: () =>
          [
            `${shown.request.id}  ${shown.request.action}  ${shown.request.status}`,
            `  parameters: ${JSON.stringify(shown.request.parameters)}`,
            `  reason: ${shown.request.reason}`,
            `  needs ${shown.request.m} of ${shown.request.approvers.join(', ')}; expires ${new Date(shown.request.expiresAt).toISOString()}`,
            ...shown.signatures.map((s) => `  ${s.approver} ${s.decision}d at ${new Date(s.at).toISOString()}`),
          ].join('\n'),
      });
    });

  approval
    .command('sign')
    .description('fetch the request, sign it locally with your Ed25519 private key, and submit (the key never leaves this machine)')
    .argument('<id>', 'request id')
    .requiredOption('--key <file>', 'your private key (PEM), e.g. alice.pem')
    .option('--approver <handle>', 'your handle (default: the key file name, alice.pem -> alice)')
    .option('--reject', 'sign a rejection instead of an approval')
    .option('--comment <text>', 'a comment for the timeline')
    .addOption(serverOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { key: string; approver?: string; reject?: boolean; comment?: string; json?: boolean } & Remote) => {
      const privateKey = await readText(opts.key);
      const approver = opts.approver ?? basename(opts.key).replace(/(\.private)?\.pem$/i, '');
      const decision: ApprovalDecision = opts.reject === true ? 'reject' : 'approve';
      const sign = (payload: JsonObject) => signApprovalMessage(privateKey, approvalMessage({ payload, approver, decision }));
      const comment = opts.comment === undefined ? {} : { comment: opts.comment };
      const remote = remoteOf(opts);
      let result: { status: string; approvals: readonly string[]; m: number };
      if (remote !== undefined) {
        const { payload } = await api<{ payload: JsonObject }>(remote, { method: 'GET', path: `api/v1/approvals/${encodeURIComponent(id)}` });
        const body = { approver, decision, signature: sign(payload), ...comment };
        const answer = await api<{ approval: { status: string; approvals: string[]; m: number } }>(remote, { method: 'POST', path: `api/v1/approvals/${encodeURIComponent(id)}/signatures`, body });
        result = answer.approval;
      } else {
        result = await withVigil(context, async (vigil) => {
          const request = await findApprovalRequest(vigil.store.read, id);
          const signature = sign(approvalPayload(request));
          const decided = await vigil.store.write((tx) => vigil.approvals.decide(tx, { id, approver, decision, signature, ...comment, actor: context.actor }));
          return presentApproval(decided.request, await vigil.store.read.listApprovalSignatures(id));
        });
      }
      print(context, { json: opts.json, value: { approval: result }, human: () => `${approver} ${decision}d ${id}: ${result.status} (${result.approvals.length} of ${result.m} approvals)` });
    });

  approval
    .command('execute')
    .description('mark the approved action executed, with its output (refused until the quorum is met)')
    .argument('<id>', 'request id')
    .option('--output <text>', 'what was done', '')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { output: string; json?: boolean }) => {
      const executed = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.approvals.execute(tx, { id, output: opts.output, actor: context.actor })));
      print(context, { json: opts.json, value: { approval: presentApproval(executed) }, human: () => `${executed.action} executed (${id})` });
    });

  approval
    .command('verify')
    .description('re-verify every stored signature of a request against the key it was made with; exit 1 if any fails')
    .argument('<id>', 'request id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const result = await withVigil(context, (vigil) => verifyApproval(vigil.store.read, id));
      print(context, { json: opts.json, value: presentApprovalVerification(result), human: () => describeVerification(result) });
      if (!result.ok) context.exitWith(1);
    });

  return approval;
}
