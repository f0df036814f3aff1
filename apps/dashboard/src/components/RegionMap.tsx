import franceRegions from '@svg-maps/france.regions';
import { Link } from 'react-router';
import { regionKey } from '../lib/regions';

export { regionKey };

interface MapLocation {
  id: string;
  name: string;
  path: string;
}
const map = franceRegions as unknown as { viewBox: string; locations: MapLocation[] };

/** Colour ramp (light to dark blue) readable against white and against its own labels. */
const RAMP = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const NO_DATA = '#ffffff';

export interface RegionValue {
  value: number | null;
  /** Where a click leads (the region's network). */
  to?: string;
  /** e.g. « valeur masquée (moins de 5 patients) » */
  note?: string;
}

/** The French regions coloured by an indicator (SVG from @svg-maps/france.regions); each region with data is a link. */
export function RegionMap({ values, indicatorLabel, format }: { values: Map<string, RegionValue>; indicatorLabel: string; format: (value: number | null) => string }) {
  const numbers = [...values.values()].map((v) => v.value).filter((v): v is number => v !== null);
  const max = Math.max(0, ...numbers);
  const colour = (value: number | null | undefined) => {
    if (value === null || value === undefined) return NO_DATA;
    if (max === 0) return RAMP[0];
    return RAMP[Math.min(RAMP.length - 1, Math.floor((value / max) * (RAMP.length - 1)))];
  };
  return (
    <figure className="region-map">
      <svg viewBox={map.viewBox} role="group" aria-label={`Carte des régions : ${indicatorLabel}`}>
        {map.locations.map((location) => {
          const entry = values.get(regionKey(location.name));
          const text = `${location.name} : ${entry ? (entry.value === null ? (entry.note ?? 'pas de donnée') : format(entry.value)) : 'aucun réseau'}`;
          const shape = (
            <path d={location.path} fill={colour(entry?.value)} stroke="#555" strokeWidth={0.8} className={entry?.to ? 'region linked' : 'region'}>
              <title>{text}</title>
            </path>
          );
          return entry?.to ? (
            <Link key={location.id} to={entry.to} aria-label={text}>
              {shape}
            </Link>
          ) : (
            <g key={location.id} aria-label={text} role="img">
              {shape}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="visually-hidden">Légende : </span>
        {indicatorLabel} : <span className="swatch" style={{ background: RAMP[0] }} /> faible
        <span className="swatch" style={{ background: RAMP[RAMP.length - 1] }} /> élevé ({format(max)}) <span className="swatch" style={{ background: NO_DATA }} /> aucun réseau ou pas de donnée
      </figcaption>
    </figure>
  );
}
