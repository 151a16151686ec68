// Registers the database enums that the GraphQL schema exposes, once.
import { registerEnumType } from 'type-graphql';
import { ActorType, Role } from '../generated/prisma/enums';

registerEnumType(Role, { name: 'Role', description: 'A member\'s role in an organization.' });
registerEnumType(ActorType, { name: 'ActorType', description: 'Who performed an action: a staff user, an API credential, a provider (Twilio, Stripe) or CallSnare itself.' });

export { ActorType, Role };
