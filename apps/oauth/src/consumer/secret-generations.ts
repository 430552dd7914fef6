import type { Consumer } from './consumer.store';

/** The generation of the consumer secret that signed a verified call ('previous' is always the one before). */
export function signingGeneration(consumer: Consumer, secret: 'current' | 'previous'): number {
  return secret === 'current' ? consumer.secretGeneration : consumer.secretGeneration - 1;
}

/**
 * Whether a call signed with `generation` is still acceptable for the consumer as read now. The
 * verification path may check a signature against a consumer taken from its cache before the
 * change signal was read; if a rotation happened meanwhile, the secret it used may have stopped
 * (overlap 0, or a second rotation) even though the cached copy accepted it.
 */
export function acceptsGeneration(consumer: Consumer, generation: number, now: number): boolean {
  if (generation === consumer.secretGeneration) return true;
  return (
    generation === consumer.secretGeneration - 1 &&
    consumer.previousSecret !== null &&
    consumer.previousSecret.expiresAt.getTime() > now
  );
}
