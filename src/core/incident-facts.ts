/**
 * What responders establish about a crypto incident, beyond its alerts: the transactions
 * involved, the addresses affected and their state, where the funds went, who the attacker is,
 * and impact figures a person confirmed. Facts feed the impact score (funds at risk) and the
 * postmortem. Amounts are bigint base units with the asset's decimals beside them.
 */

export type AddressState = 'at_risk' | 'impacted' | 'paused' | 'saved' | 'needs_review';
export const addressStates: readonly AddressState[] = ['at_risk', 'impacted', 'paused', 'saved', 'needs_review'];

export type DestinationType = 'exchange' | 'bridge' | 'mixer' | 'defi' | 'attacker' | 'internal' | 'unknown';
export const destinationTypes: readonly DestinationType[] = ['exchange', 'bridge', 'mixer', 'defi', 'attacker', 'internal', 'unknown'];

export type RecoveryStatus = 'not_started' | 'in_progress' | 'frozen' | 'recovered' | 'lost';
export const recoveryStatuses: readonly RecoveryStatus[] = ['not_started', 'in_progress', 'frozen', 'recovered', 'lost'];

export type TransactionRole = 'attack' | 'drain' | 'laundering' | 'recovery' | 'related';
export const transactionRoles: readonly TransactionRole[] = ['attack', 'drain', 'laundering', 'recovery', 'related'];

/** An amount of one asset: base units and the asset's decimals (1.5 ETH is 1500000000000000000n, 18). */
export interface AssetAmount {
  readonly amount: bigint;
  readonly asset: string;
  readonly decimals: number;
}

export interface TransactionFact {
  readonly kind: 'transaction';
  readonly chain: string;
  readonly hash: string;
  readonly role: TransactionRole;
  readonly from?: string;
  readonly to?: string;
  readonly value?: AssetAmount;
  readonly note?: string;
}

export interface AddressFact {
  readonly kind: 'address';
  readonly chain: string;
  readonly address: string;
  readonly state: AddressState;
  /** What the address is to us: `hot wallet 3`, `bridge escrow`. */
  readonly label?: string;
  /** What it holds (at risk) or held before the incident (impacted). */
  readonly balance?: AssetAmount;
  /** The balance in US cents, when known; counts toward funds at risk while the state is at_risk. */
  readonly valueUsdCents?: bigint;
  readonly note?: string;
}

export interface FundsMovementFact {
  readonly kind: 'funds_movement';
  readonly chain: string;
  readonly txHash: string;
  readonly origin: string;
  readonly destination: string;
  readonly destinationType: DestinationType;
  readonly value: AssetAmount;
  /** US cents at the time of the movement, when known; counts toward funds at risk until recovered. */
  readonly valueUsdCents?: bigint;
  readonly recovery: RecoveryStatus;
  readonly note?: string;
}

export interface AttackerFact {
  readonly kind: 'attacker';
  /** A name responders use for this actor: `attacker-1`, `lazarus-cluster`. */
  readonly name: string;
  readonly addresses: readonly string[];
  readonly attribution?: string;
  /** Indicators of compromise: domains, IPs, contract addresses, tooling. */
  readonly indicators: readonly string[];
  readonly note?: string;
}

/**
 * An impact figure a person confirmed, keyed by the same names alert labels use
 * (`funds_at_risk_usd`, `users_affected`, `key_compromise`, ...). A confirmed figure beats any
 * alert's estimate in the score.
 */
export interface ImpactFact {
  readonly kind: 'impact';
  readonly key: string;
  readonly value: string;
  readonly note?: string;
}

export type IncidentFactBody = TransactionFact | AddressFact | FundsMovementFact | AttackerFact | ImpactFact;
export type IncidentFactKind = IncidentFactBody['kind'];
export const incidentFactKinds: readonly IncidentFactKind[] = ['transaction', 'address', 'funds_movement', 'attacker', 'impact'];

export interface IncidentFact {
  readonly id: string;
  readonly incidentId: string;
  /** Unique per incident and kind: recording the same thing again updates it. */
  readonly key: string;
  readonly body: IncidentFactBody;
  /** `token:01H…` style reference of who last set it. */
  readonly actor: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The natural key of a fact: a transaction by chain and hash, an address by chain and address, ... */
export function factKey(body: IncidentFactBody): string {
  switch (body.kind) {
    case 'transaction':
      return `${body.chain}:${body.hash.toLowerCase()}`;
    case 'address':
      return `${body.chain}:${body.address.toLowerCase()}`;
    case 'funds_movement':
      return `${body.chain}:${body.txHash.toLowerCase()}:${body.origin.toLowerCase()}:${body.destination.toLowerCase()}`;
    case 'attacker':
      return body.name;
    case 'impact':
      return body.key;
  }
}
