export { MasterDataModule } from './master-data.module.js';
