// Staff: invite with a role (one-time set-password link), change role, remove.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { InviteMemberDocument, MembersDocument, RemoveMemberDocument, UpdateMemberRoleDocument, type Role } from '@callsnare/sdk/documents';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time } from '../components/ui';
import { OneTimeLink, setPasswordUrl } from '../components/OneTimeLink';
import { assignableRoles } from '../lib/roles';
import { useSession } from '../session';

export function MembersPage() {
  const { role, viewer } = useSession();
  const [{ data, error, fetching }, refetch] = useQuery({ query: MembersDocument, variables: { first: 100 } });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const [invite, inviteMember] = useMutation(InviteMemberDocument);
  const [update, updateRole] = useMutation(UpdateMemberRoleDocument);
  const [removal, removeMember] = useMutation(RemoveMemberDocument);
  const [email, setEmail] = useState('');
  const [newRole, setNewRole] = useState<Role>('DISPATCHER');
  const [link, setLink] = useState<{ email: string; url: string | null; expiresAt: string | null } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const roles = assignableRoles(role);

  return (
    <section aria-labelledby="members-title">
      <PageTitle>Members</PageTitle>
      <form
        className="card"
        onSubmit={async (event) => {
          event.preventDefault();
          const r = await inviteMember({ email: email.trim(), role: newRole });
          if (r.data) {
            const token = r.data.inviteMember.setPasswordToken;
            setLink({ email: r.data.inviteMember.member.email, url: token ? setPasswordUrl(token) : null, expiresAt: r.data.inviteMember.setPasswordExpiresAt ?? null });
            // The same answer whoever the invitee is: the link is how they join, new to CallSnare or not.
            setEmail('');
            refresh();
          }
        }}
      >
        <h2>Invite a member</h2>
        <div className="row">
          <label className="field">
            Email
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label className="field">
            Role
            <select id="invite-role" value={newRole} onChange={(e) => setNewRole(e.target.value as Role)}>
              {roles.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="primary" disabled={!email.trim() || invite.fetching}>Invite</button>
        </div>
        <ErrorNotice error={invite.error} title="Not invited" />
      </form>
      {link?.url ? (
        <OneTimeLink testId="invite-link" title={`Send this one-time link to ${link.email}. It is shown only now; they join when they open it.`} url={link.url} expiresAt={link.expiresAt} onDone={() => setLink(null)} />
      ) : null}
      <ErrorNotice error={error ?? update.error ?? removal.error} />
      {fetching && !data ? <Loading what="Loading members" /> : null}
      {data && data.members.nodes.length === 0 ? <Empty>No members.</Empty> : null}
      {data && data.members.nodes.length > 0 ? (
        <table className="list" data-testid="member-list">
          <thead>
            <tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {data.members.nodes.map((m) => {
              const self = m.userId === viewer.user?.id;
              const manageable = !self && (role === 'OWNER' || m.role !== 'OWNER');
              return (
                <tr key={m.id}>
                  <td>
                    {m.name ?? m.email} {m.name ? <div className="small muted">{m.email}</div> : null}
                    {m.status === 'INVITED' ? <Badge value="Invited" tone="new" /> : null}
                    {self ? <span className="small muted"> (you)</span> : null}
                  </td>
                  <td>
                    {manageable ? (
                      <select aria-label={`Role of ${m.email}`} value={m.role} disabled={update.fetching} onChange={async (e) => { const r = await updateRole({ membershipId: m.id, role: e.target.value as Role }); if (!r.error) refresh(); }}>
                        {[...new Set([m.role, ...roles])].map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                    ) : (
                      <Badge value={m.role} tone="role" />
                    )}
                  </td>
                  <td><Time iso={m.joinedAt} /></td>
                  <td>
                    {manageable ? (
                      confirmRemove === m.id ? (
                        <span className="confirm">
                          Remove {m.email}?{' '}
                          <button className="small danger" disabled={removal.fetching} onClick={async () => { const r = await removeMember({ membershipId: m.id }); if (!r.error) { setConfirmRemove(null); refresh(); } }}>Yes, remove</button>
                          <button className="small" onClick={() => setConfirmRemove(null)}>Cancel</button>
                        </span>
                      ) : (
                        <button className="small danger" onClick={() => setConfirmRemove(m.id)}>Remove</button>
                      )
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
