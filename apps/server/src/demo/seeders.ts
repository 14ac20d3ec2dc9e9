/** Demo seeders of the business modules, in the order of the module list (members before meetings, …). */
import { MODULES } from '../modules';
import type { Services } from '../platform/services';
import type { DemoSeeder } from './seed';

export function demoSeeders(services: Services): DemoSeeder[] {
  return MODULES.flatMap((m) => (m.demo ? [m.demo(services)] : []));
}
