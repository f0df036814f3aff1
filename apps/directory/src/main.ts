import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { DirectoryModule } from './directory.module';

runService('directory', 4101, (config, logger) => DirectoryModule.forRoot(config, logger));
