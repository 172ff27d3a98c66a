import { Link } from '@fluentui/react-link';
import { Caption1 } from '@fluentui/react-text';
import { Link16Regular, Mail16Regular } from '@fluentui/react-icons';
import type { Evidence } from '../../core/browser';
import { safeLink } from './format';

/** Where a credit came from: "From an email: <subject>" opening the message, or the evidence link; subjects and titles are text, never markup. */
export function EvidenceLine({ evidence }: { evidence?: Evidence }) {
  if (!evidence) return null;
  const link = safeLink(evidence.url);
  if (evidence.type === 'email') {
    const subject = evidence.title || '(no subject)';
    return (
      <Caption1 data-testid="email-evidence">
        <Mail16Regular aria-hidden /> From an email:{' '}
        {link ? (
          <Link href={link} target="_blank" rel="noopener noreferrer">
            {subject}
          </Link>
        ) : (
          subject
        )}
      </Caption1>
    );
  }
  return link ? (
    <Link href={link} target="_blank" rel="noopener noreferrer">
      <Link16Regular aria-hidden /> {evidence.title || 'Evidence'}
    </Link>
  ) : null;
}
