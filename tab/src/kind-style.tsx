import { Handshake20Regular, Heart20Regular, ShieldCheckmark20Regular, Trophy20Regular, Wrench20Regular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { Kind } from '../../core/browser';

/** An icon per kind, so groups read at a glance on a stand-up screen. */
export const KIND_ICONS: Record<Kind, ReactElement> = {
  enabled: <Handshake20Regular aria-hidden />,
  prevented: <ShieldCheckmark20Regular aria-hidden />,
  improved: <Wrench20Regular aria-hidden />,
  sustained: <Heart20Regular aria-hidden />,
  delivered: <Trophy20Regular aria-hidden />,
};
