import { z } from 'zod';
import { impactMatrixSchema, type ImpactMatrix, type ServiceTier } from './impact-matrix.js';

/**
 * The triage config file (`serve --impact-config FILE`, `VIGIL_IMPACT_CONFIG`): the impact matrix
 * and the criticality tier of each service. A service's tier counts as an input to every one of
 * its incidents; an alert that states a more critical tier wins, and a fact beats both.
 */
export const triageConfigSchema = z
  .strictObject({
    matrix: impactMatrixSchema,
    services: z.record(z.string().min(1), z.strictObject({ tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]) })).default({}),
  })
  .prefault({});

export type TriageConfigInput = z.input<typeof triageConfigSchema>;

export interface TriageConfig {
  readonly matrix: ImpactMatrix;
  readonly services: Readonly<Record<string, { readonly tier: ServiceTier }>>;
}

export const defaultTriageConfig: TriageConfig = triageConfigSchema.parse(undefined);
