import { Notifications1766000000000 } from './1766000000000-notifications';

/** The notifications schema's migrations, in order (the module runs them; the specs too). */
export const notificationsMigrations = [Notifications1766000000000];
