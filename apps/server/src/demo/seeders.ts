/** Demo seeders of the business modules, in dependency order (members before meetings, …). */
import type { Services } from '../platform/services';
import type { DemoSeeder } from './seed';

export function demoSeeders(_services: Services): DemoSeeder[] {
  return [];
}
