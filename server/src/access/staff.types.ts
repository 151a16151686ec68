// The GraphQL type of a staff member's account, wherever one is shown: the
// signed-in user (Viewer.user) and a callback's assignee (Callback.assignee).
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: "A staff member's account: the signed-in user (Viewer.user), or the staff member a callback is assigned to." })
export class StaffUser {
  @Field(() => ID, { description: 'User id.' })
  id!: string;

  @Field({ description: 'Sign-in email.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Display name.' })
  name!: string | null;
}
