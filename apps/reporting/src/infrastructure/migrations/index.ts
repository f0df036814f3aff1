import { ReportingControl1765000000000 } from './1765000000000-reporting-control';
import { FactSetLayout21765100000000 } from './1765100000000-fact-set-layout-2';
import { InboxCommandId1765200000000 } from './1765200000000-inbox-command-id';
import { FactSetLayout31765300000000 } from './1765300000000-fact-set-layout-3';
import { FactSetLayout41765400000000 } from './1765400000000-fact-set-layout-4';
import { FactSetLayout51765500000000 } from './1765500000000-fact-set-layout-5';
import { FactSetLayout61765600000000 } from './1765600000000-fact-set-layout-6';
import { FactSetLayout71765700000000 } from './1765700000000-fact-set-layout-7';
import { ApplierParts1765800000000 } from './1765800000000-applier-parts';

/** Reporting's migrations, in order (the service and the rebuild CLI run the same list). */
export const REPORTING_MIGRATIONS = [ReportingControl1765000000000, FactSetLayout21765100000000, InboxCommandId1765200000000, FactSetLayout31765300000000, FactSetLayout41765400000000, FactSetLayout51765500000000, FactSetLayout61765600000000, FactSetLayout71765700000000, ApplierParts1765800000000];
