import { openSqliteStore } from '../src/store/sqlite-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('SQLite', async () => openSqliteStore(':memory:'));
