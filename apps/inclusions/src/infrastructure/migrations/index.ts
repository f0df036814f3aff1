import { CareTeams1763900000000 } from './1763900000000-care-teams';
import { PatientKeys1763900000100 } from './1763900000100-patient-keys';
import { Caseload1763900000200 } from './1763900000200-caseload';
import { IdentityReads1763900000300 } from './1763900000300-identity-reads';
import { MicrostructureLife1763900000400 } from './1763900000400-microstructure-life';
import { ProfessionalDays1763900000500 } from './1763900000500-professional-days';
import { Memberships1763900000600 } from './1763900000600-memberships';
import { InclusionColumns1763900000700 } from './1763900000700-inclusion-columns';

/** The inclusions schema's migrations, in order (the module runs them; the read-model specs too). */
export const inclusionsMigrations = [CareTeams1763900000000, PatientKeys1763900000100, Caseload1763900000200, IdentityReads1763900000300, MicrostructureLife1763900000400, ProfessionalDays1763900000500, Memberships1763900000600, InclusionColumns1763900000700];
