import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { formatUnits } from '../typologies/amounts.js';
import { typologyFinding } from '../typologies/typology-finding.js';
import type { Rule } from './rule.js';

/**
 * The finding for a transaction that matched `rule`.
 *
 * The entity is who acted: the sender of an account transaction, the first input's address of
 * a UTXO one (all inputs of a transaction are normally one owner's). With the alert id
 * `VIGIL-RULE-<id>` it forms the dedup key, so a wallet that keeps matching a rule keeps one
 * alert firing instead of opening one per transaction. Amounts in the metadata are exact
 * decimal text, in whole units and in base units, never floats.
 */
export function ruleFinding(rule: Rule, tx: Transaction): Finding {
  const facts = tx.kind === 'account' ? accountFacts(tx) : utxoFacts(tx);
  const metadata: Record<string, string> = {
    ruleId: rule.id,
    expression: rule.canonical,
    model: tx.kind,
    chain: tx.chain,
    asset: tx.asset,
    status: tx.status,
    block: String(tx.block),
    feeBaseUnits: tx.fee.toString(),
    ...facts.metadata,
  };
  return typologyFinding({
    name: rule.name,
    description: `${rule.description === undefined ? '' : `${rule.description} `}Transaction ${tx.hash} on ${tx.chain} matched rule ${rule.id}: ${rule.canonical}`,
    alertId: `VIGIL-RULE-${rule.id}`,
    severity: rule.severity,
    type: rule.type,
    detector: `rule:${rule.id}`,
    entity: facts.entity,
    addresses: facts.addresses,
    txHashes: [tx.hash],
    at: tx.timestamp,
    metadata,
    stage: rule.stage,
  });
}

interface Facts {
  readonly entity: string;
  readonly addresses: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

function accountFacts(tx: Transaction & { readonly kind: 'account' }): Facts {
  return {
    entity: tx.from,
    addresses: tx.to === null ? [tx.from] : [tx.from, tx.to],
    metadata: {
      from: tx.from,
      ...(tx.to === null ? {} : { to: tx.to }),
      amount: formatUnits(tx.amount, tx.decimals),
      amountBaseUnits: tx.amount.toString(),
      ...(tx.tokenContract === null ? {} : { tokenContract: tx.tokenContract }),
    },
  };
}

function utxoFacts(tx: Transaction & { readonly kind: 'utxo' }): Facts {
  const total = tx.outputs.reduce((sum, output) => sum + output.amount, 0n);
  // A transaction without inputs is not one a chain accepts; its hash still names it uniquely.
  const entity = tx.inputs[0]?.address ?? tx.outputs[0]?.address ?? tx.hash;
  return {
    entity,
    addresses: [...tx.inputs.map((input) => input.address), ...tx.outputs.map((output) => output.address)],
    metadata: {
      inputs: String(tx.inputs.length),
      outputs: String(tx.outputs.length),
      amount: formatUnits(total, tx.decimals),
      amountBaseUnits: total.toString(),
    },
  };
}
