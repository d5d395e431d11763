import type { Profile } from './profile';
import type { ProfileErrors } from './validate-profile';

/** What every form section gets: the draft, an updater and the current errors. */
export interface SectionProps {
  p: Profile;
  up(fn: (p: Profile) => Profile): void;
  e: ProfileErrors;
}
