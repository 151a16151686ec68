// A tracking line's messaging registration on the Settings page: the state with what it means,
// a carrier block if one was reported, and (for OWNER/ADMIN) a select to record a new state.
import { useMutation } from 'urql';
import { SetTrackingLineRegistrationDocument, type MessagingRegistration } from '../generated/graphql';
import { useSession } from '../session';
import { ErrorNotice, Time } from './ui';

const LABELS: Record<MessagingRegistration, string> = {
  UNKNOWN: 'Unknown',
  NOT_REQUIRED: 'Not required',
  A2P_10DLC_PENDING: 'A2P 10DLC pending',
  A2P_10DLC_REGISTERED: 'A2P 10DLC registered',
  A2P_10DLC_REJECTED: 'A2P 10DLC rejected',
  TOLL_FREE_PENDING: 'Toll-free verification pending',
  TOLL_FREE_VERIFIED: 'Toll-free verified',
  TOLL_FREE_REJECTED: 'Toll-free verification rejected',
};

export interface LineRegistrationFields {
  id: string;
  messagingRegistration: MessagingRegistration;
  messagingRegistrationMeaning: string;
  carrierFilteringCode?: string | null;
  carrierFilteringAt?: string | null;
}

export function LineRegistration({ line }: { line: LineRegistrationFields }) {
  const { can } = useSession();
  const [state, setRegistration] = useMutation(SetTrackingLineRegistrationDocument);
  return (
    <div data-testid="line-registration">
      {can('setTrackingLineRegistration') ? (
        <label>
          <span className="visually-hidden">Messaging registration</span>
          <select
            value={line.messagingRegistration}
            disabled={state.fetching}
            onChange={(event) => void setRegistration({ id: line.id, registration: event.target.value as MessagingRegistration })}
          >
            {(Object.keys(LABELS) as MessagingRegistration[]).map((value) => (
              <option key={value} value={value}>
                {LABELS[value]}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <strong>{LABELS[line.messagingRegistration]}</strong>
      )}
      <div className="small muted">{line.messagingRegistrationMeaning}</div>
      {line.carrierFilteringCode ? (
        <div className="small warn" role="status">
          Carriers blocked a text from this line (error {line.carrierFilteringCode}
          {line.carrierFilteringAt ? (
            <>
              , <Time iso={line.carrierFilteringAt} />
            </>
          ) : null}
          ). Once it is registered or verified, record that here.
        </div>
      ) : null}
      <ErrorNotice error={state.error} title="Could not change the registration" />
    </div>
  );
}
