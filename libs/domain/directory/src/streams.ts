import { requireId } from './values';

/**
 * Stream names are `<category>-<id>`: the event store derives the category from the part before
 * the first dash, so categories themselves contain none.
 */
export const DIRECTORY_STREAM_CATEGORIES = {
  nationalNetwork: 'nationalnetwork',
  regionalNetwork: 'network',
  microstructure: 'microstructure',
  professional: 'professional',
  rppsClaim: 'rpps',
  adeliClaim: 'adeli',
} as const;

/** There is one national coordination, the CNRMS. */
export const NATIONAL_NETWORK_ID = 'cnrms';

export const nationalNetworkStream = (): string => `${DIRECTORY_STREAM_CATEGORIES.nationalNetwork}-${NATIONAL_NETWORK_ID}`;
export const regionalNetworkStream = (networkId: string): string =>
  `${DIRECTORY_STREAM_CATEGORIES.regionalNetwork}-${requireId(networkId, 'networkId', 'L’identifiant du réseau')}`;
export const microstructureStream = (microstructureId: string): string =>
  `${DIRECTORY_STREAM_CATEGORIES.microstructure}-${requireId(microstructureId, 'microstructureId', 'L’identifiant de la microstructure')}`;
export const professionalStream = (professionalId: string): string =>
  `${DIRECTORY_STREAM_CATEGORIES.professional}-${requireId(professionalId, 'professionalId', 'L’identifiant du professionnel')}`;
/** One stream per RPPS number, so that two professionals cannot claim the same one. */
export const rppsStream = (rpps: string): string => `${DIRECTORY_STREAM_CATEGORIES.rppsClaim}-${requireId(rpps, 'rpps', 'Le numéro RPPS')}`;
export const adeliStream = (adeli: string): string => `${DIRECTORY_STREAM_CATEGORIES.adeliClaim}-${requireId(adeli, 'adeli', 'Le numéro ADELI')}`;
