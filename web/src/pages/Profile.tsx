// Your profile (any staff role): your name, the mobile staff alerts are texted to, which
// alerts you want, and whether you are on call (set by an owner or admin on Members).
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MyProfileDocument, UpdateMyProfileDocument, type StaffProfileFieldsFragment } from '../generated/graphql';
import { ErrorNotice, Loading, PageTitle, PhoneLink } from '../components/ui';
import { describeError } from '../lib/errors';
import { useSession } from '../session';

export function ProfilePage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: MyProfileDocument, requestPolicy: 'network-only' });
  const member = data?.viewer.member;
  return (
    <section aria-labelledby="profile-title">
      <PageTitle>Your profile</PageTitle>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading your profile" /> : null}
      {data && !member ? <p className="notice">Only a staff member signed in to an organization has a profile.</p> : null}
      {member ? <ProfileForm member={member} onSaved={() => refetch({ requestPolicy: 'network-only' })} /> : null}
    </section>
  );
}

function ProfileForm({ member, onSaved }: { member: StaffProfileFieldsFragment; onSaved: () => void }) {
  const { viewer, role, can } = useSession();
  const [name, setName] = useState(member.name ?? '');
  const [phone, setPhone] = useState(member.phone ?? '');
  const [alertOnMissedCall, setAlertOnMissedCall] = useState(member.alertOnMissedCall);
  const [alertOnReply, setAlertOnReply] = useState(member.alertOnReply);
  const [saved, setSaved] = useState(false);
  const [state, updateMyProfile] = useMutation(UpdateMyProfileDocument);
  useEffect(() => {
    setName(member.name ?? '');
    setPhone(member.phone ?? '');
    setAlertOnMissedCall(member.alertOnMissedCall);
    setAlertOnReply(member.alertOnReply);
  }, [member]);
  const fields = describeError(state.error)?.fields ?? {};
  const noPhone = phone.trim() === '';

  return (
    <form
      className="card profile"
      data-testid="profile-form"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void updateMyProfile({
          input: { name: name.trim(), phone: phone.trim(), alertOnMissedCall: !noPhone && alertOnMissedCall, alertOnReply: !noPhone && alertOnReply },
        }).then((result) => {
          if (result.data) {
            setSaved(true);
            onSaved();
          }
        });
      }}
    >
      <dl className="facts">
        <dt>Signs in as</dt>
        <dd>{viewer.user?.email}</dd>
        <dt>Organization</dt>
        <dd>{viewer.organization?.name}</dd>
        <dt>Role</dt>
        <dd>{role}</dd>
      </dl>

      <label className={fields.name ? 'field has-error' : 'field'}>
        Your name (shown to staff and on the timeline)
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="name" />
        {fields.name ? <span className="field-error">{fields.name}</span> : null}
      </label>

      <fieldset className="alerts">
        <legend>Text alerts to your phone</legend>
        <label className={fields.phone ? 'field has-error' : 'field'}>
          Mobile number
          <input
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            autoComplete="tel"
            placeholder="(312) 555-0142"
            aria-describedby="profile-phone-help"
          />
          {fields.phone ? <span className="field-error">{fields.phone}</span> : null}
        </label>
        <p id="profile-phone-help" className="small muted">
          A US number in any usual format, or with its +country code. Alerts are texted from the shop's number; texting STOP back to it stops them.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={!noPhone && alertOnMissedCall} disabled={noPhone} onChange={(e) => setAlertOnMissedCall(e.target.checked)} /> Text me
          about missed calls and overdue callbacks
        </label>
        {fields.alertOnMissedCall ? <p className="field-error">{fields.alertOnMissedCall}</p> : null}
        <label className="checkbox">
          <input type="checkbox" checked={!noPhone && alertOnReply} disabled={noPhone} onChange={(e) => setAlertOnReply(e.target.checked)} /> Text me when a
          caller texts back
        </label>
        {fields.alertOnReply ? <p className="field-error">{fields.alertOnReply}</p> : null}
        {noPhone ? <p className="small muted">Add a mobile number to choose alerts.</p> : null}
      </fieldset>

      <p className={member.onCall ? 'notice notice-ok' : 'notice'} data-testid="profile-on-call">
        {member.onCall ? (
          <>
            <strong>You are on call.</strong> After business hours, alerts go to the members on call
            {member.phone ? (
              <>
                {' '}
                — to you at <PhoneLink phone={member.phone} />
              </>
            ) : (
              ' — add your mobile number to receive them'
            )}
            .
          </>
        ) : (
          <>
            <strong>You are not on call.</strong> During business hours you get the alerts you chose; after hours they go only to the members on call (to the
            owners when nobody is). {can('setMemberOnCall') ? 'You choose who is on call on the Members page.' : 'An owner or admin chooses who is on call.'}
          </>
        )}
      </p>

      <div className="save-bar">
        <button type="submit" className="primary" disabled={state.fetching}>
          {state.fetching ? 'Saving…' : 'Save profile'}
        </button>
        {saved && !state.fetching ? (
          <span className="notice notice-ok small" role="status" data-testid="profile-saved">
            Saved.
          </span>
        ) : null}
      </div>
      <ErrorNotice error={state.error} title="Not saved" />
    </form>
  );
}
