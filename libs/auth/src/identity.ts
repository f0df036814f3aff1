import { z } from 'zod';

export const ROLES = ['national_coordinator', 'regional_coordinator', 'professional', 'funder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who calls: their roles and the scopes (regional networks, microstructures) the roles apply to. */
export interface Identity {
  userId: string;
  displayName?: string;
  roles: Role[];
  networkIds: string[];
  microstructureIds: string[];
  /** Set when the caller is a professional of the directory. */
  professionalId?: string;
}

export const identitySchema = z
  .object({
    userId: z.string().min(1).max(200),
    displayName: z.string().max(200).optional(),
    roles: z.array(z.enum(ROLES)).min(1),
    networkIds: z.array(z.string().min(1)).default([]),
    microstructureIds: z.array(z.string().min(1)).default([]),
    professionalId: z.string().min(1).optional(),
  })
  .strict();
