// Staff: invite by name and email (one-time link), roles, who gets alerts and who is on call,
// password resets (one-time link), removal; the staff alerts sent lately.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  InviteMemberDocument,
  MembersDocument,
  RemoveMemberDocument,
  ResetMemberPasswordDocument,
  SetMemberOnCallDocument,
  UpdateMemberRoleDocument,
  type MemberFieldsFragment,
  type Role,
} from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, PhoneLink, Time } from '../components/ui';
import { OneTimeLink, setPasswordUrl } from '../components/OneTimeLink';
import { StaffAlertsSection } from '../components/StaffAlerts';
import { memberName } from '../lib/roles';
import { useSession } from '../session';

interface IssuedLink {
  kind: 'invitation' | 'reset';
  who: string;
  url: string;
  expiresAt: string | null;
}

export function MembersPage() {
  const { viewer } = useSession();
  const [{ data, error, fetching }, refetch] = useQuery({ query: MembersDocument, variables: { first: 100 } });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const [update, updateRole] = useMutation(UpdateMemberRoleDocument);
  const [link, setLink] = useState<IssuedLink | null>(null);
  const [confirm, setConfirm] = useState<{ id: string; action: 'remove' | 'reset' } | null>(null);
  // The server says which roles this member may hand out (only an OWNER grants OWNER).
  const roles = viewer.assignableRoles;

  return (
    <section aria-labelledby="members-title">
      <PageTitle>Members</PageTitle>
      <InviteForm
        roles={roles}
        onInvited={(issued) => {
          setLink(issued);
          refresh();
        }}
      />
      {link ? (
        <OneTimeLink
          testId={link.kind === 'reset' ? 'reset-link' : 'invite-link'}
          title={
            link.kind === 'reset'
              ? `Send this one-time link to ${link.who}: it lets them choose a new password (their current sessions end). It is shown only now.`
              : `Send this one-time link to ${link.who}. It is shown only now; they join when they open it.`
          }
          url={link.url}
          expiresAt={link.expiresAt}
          onDone={() => setLink(null)}
        />
      ) : null}
      <ErrorNotice error={error ?? update.error} />
      {fetching && !data ? <Loading what="Loading members" /> : null}
      {data && data.members.nodes.length === 0 ? <Empty>No members.</Empty> : null}
      {data && data.members.nodes.length > 0 ? (
        <table className="list members" data-testid="member-list">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Alert phone</th>
              <th scope="col">Texted about</th>
              <th scope="col">On call</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.members.nodes.map((m) => {
              const self = m.userId === viewer.user?.id;
              // A member whose role you could not grant is not yours to change (an ADMIN and an OWNER).
              const manageable = !self && roles.includes(m.role);
              return (
                <tr key={m.id} data-member-email={m.email}>
                  <td>
                    <strong>{memberName(m)}</strong> {m.name ? <div className="small muted">{m.email}</div> : null}
                    {m.status === 'INVITED' ? <Badge value="Invited" tone="new" /> : null}
                    {self ? <span className="small muted"> (you)</span> : null}
                  </td>
                  <td>
                    {manageable ? (
                      <select
                        aria-label={`Role of ${memberName(m)}`}
                        value={m.role}
                        disabled={update.fetching}
                        onChange={(e) => {
                          void updateRole({ membershipId: m.id, role: e.target.value as Role }).then((r) => {
                            if (!r.error) refresh();
                          });
                        }}
                      >
                        {[...new Set([m.role, ...roles])].map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <Badge value={m.role} tone="role" />
                    )}
                  </td>
                  <td>{m.phone ? <PhoneLink phone={m.phone} /> : <span className="muted">none</span>}</td>
                  <td className="small">{alertsLabel(m)}</td>
                  <td>
                    <OnCallToggle member={m} onChanged={refresh} />
                  </td>
                  <td>
                    <Time iso={m.joinedAt} />
                  </td>
                  <td>
                    {manageable ? (
                      <MemberActions
                        member={m}
                        confirming={confirm?.id === m.id ? confirm.action : null}
                        onConfirm={(action) => setConfirm(action ? { id: m.id, action } : null)}
                        onRemoved={() => {
                          setConfirm(null);
                          refresh();
                        }}
                        onReset={(issued) => {
                          setConfirm(null);
                          setLink(issued);
                          refresh();
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <p className="small muted">
        Staff alerts: during business hours every member with a phone gets the alerts they chose; after hours only the members on call (the owners when nobody
        is). Each member sets their own phone and alerts on their <Link to="/profile">profile</Link>.
      </p>
      <StaffAlertsSection />
    </section>
  );
}

/** On call or not: follows the click at once, back to the server's answer if it refuses. */
function OnCallToggle({ member, onChanged }: { member: MemberFieldsFragment; onChanged: () => void }) {
  const [state, setMemberOnCall] = useMutation(SetMemberOnCallDocument);
  const [checked, setChecked] = useState(member.onCall);
  useEffect(() => setChecked(member.onCall), [member.onCall]);
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={checked}
          disabled={state.fetching || member.status === 'INVITED'}
          aria-label={`${memberName(member)} is on call`}
          onChange={(e) => {
            const onCall = e.target.checked;
            setChecked(onCall);
            void setMemberOnCall({ membershipId: member.id, onCall }).then((r) => {
              if (r.error) setChecked(member.onCall);
              else onChanged();
            });
          }}
        />
        {checked ? 'on call' : <span className="muted">no</span>}
      </label>
      <ErrorNotice error={state.error} />
    </>
  );
}

function alertsLabel(m: MemberFieldsFragment): string {
  if (!m.phone) return 'nothing (no phone)';
  const kinds = [m.alertOnMissedCall ? 'missed calls' : null, m.alertOnReply ? 'replies' : null].filter(Boolean);
  return kinds.length > 0 ? kinds.join(', ') : 'nothing';
}

function InviteForm({ roles, onInvited }: { roles: Role[]; onInvited: (link: IssuedLink) => void }) {
  const [invite, inviteMember] = useMutation(InviteMemberDocument);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [newRole, setNewRole] = useState<Role>('DISPATCHER');
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        void inviteMember({ email: email.trim(), role: newRole, name: name.trim() || undefined }).then((r) => {
          if (r.data) {
            const { member, setPasswordToken, setPasswordExpiresAt } = r.data.inviteMember;
            // The same answer whoever the invitee is: the link is how they join, new to CallSnare or not.
            if (setPasswordToken)
              onInvited({ kind: 'invitation', who: memberName(member), url: setPasswordUrl(setPasswordToken), expiresAt: setPasswordExpiresAt ?? null });
            setName('');
            setEmail('');
          }
        });
      }}
    >
      <h2>Invite a member</h2>
      <div className="row">
        <label className="field">
          Name
          <input id="invite-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="Dana Ruiz" autoComplete="off" />
        </label>
        <label className="field">
          Email
          <input id="invite-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        </label>
        <label className="field">
          Role
          <select id="invite-role" value={newRole} onChange={(e) => setNewRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!email.trim() || invite.fetching}>
          Invite
        </button>
      </div>
      <ErrorNotice error={invite.error} title="Not invited" />
    </form>
  );
}

function MemberActions(props: {
  member: MemberFieldsFragment;
  confirming: 'remove' | 'reset' | null;
  onConfirm: (action: 'remove' | 'reset' | null) => void;
  onRemoved: () => void;
  onReset: (link: IssuedLink) => void;
}) {
  const { member: m, confirming, onConfirm } = props;
  const [reset, resetMemberPassword] = useMutation(ResetMemberPasswordDocument);
  const [removal, removeMember] = useMutation(RemoveMemberDocument);
  const who = memberName(m);
  if (confirming === 'remove') {
    return (
      <span className="confirm">
        Remove {who}?{' '}
        <button
          className="small danger"
          disabled={removal.fetching}
          onClick={() => {
            void removeMember({ membershipId: m.id }).then((r) => {
              if (!r.error) props.onRemoved();
            });
          }}
        >
          Yes, remove
        </button>
        <button className="small" onClick={() => onConfirm(null)}>
          Cancel
        </button>
        <ErrorNotice error={removal.error} title="Not removed" />
      </span>
    );
  }
  if (confirming === 'reset') {
    return (
      <div className="confirm" role="alertdialog" aria-label={`Reset the password of ${who}?`}>
        <span>Give {who} a link to choose a new password? Their current password stops working when they use it.</span>
        <button
          className="small primary"
          disabled={reset.fetching}
          onClick={() => {
            void resetMemberPassword({ membershipId: m.id }).then((r) => {
              if (r.data) {
                const grant = r.data.resetMemberPassword;
                props.onReset({
                  kind: grant.purpose === 'RESET' ? 'reset' : 'invitation',
                  who,
                  url: setPasswordUrl(grant.setPasswordToken),
                  expiresAt: grant.expiresAt,
                });
              }
            });
          }}
        >
          Yes, make a reset link
        </button>
        <button className="small" onClick={() => onConfirm(null)}>
          Cancel
        </button>
        <ErrorNotice error={reset.error} title="No reset link" />
      </div>
    );
  }
  return (
    <div className="button-row">
      <button className="small" onClick={() => onConfirm('reset')}>
        {m.status === 'INVITED' ? 'New invitation link' : 'Reset password'}
      </button>
      <button className="small danger" onClick={() => onConfirm('remove')}>
        Remove
      </button>
    </div>
  );
}
