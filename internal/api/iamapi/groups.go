package iamapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wireGroup struct {
	Path       string `xml:"Path"`
	GroupName  string `xml:"GroupName"`
	GroupID    string `xml:"GroupId"`
	Arn        string `xml:"Arn"`
	CreateDate string `xml:"CreateDate"`
}

func (a *API) groupToWire(g iam.Group) wireGroup {
	return wireGroup{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN(a.account), CreateDate: timestamp(g.CreateDate)}
}

type createGroupInput struct {
	Path      *string `query:"Path"`
	GroupName *string `query:"GroupName"`
}

type groupOutput struct {
	Group wireGroup `xml:"Group"`
}

func (a *API) createGroup(ctx context.Context, in *createGroupInput) (*groupOutput, error) {
	name, err := required(in.GroupName, "groupName")
	if err != nil {
		return nil, err
	}
	id, err := iam.NewID(iam.GroupIDPrefix, a.deps.Random)
	if err != nil {
		return nil, err
	}
	g, err := iam.NewGroup(name, awsproto.Deref(in.Path), id, a.now())
	if err != nil {
		return nil, err
	}
	if err := createNamed(ctx, a.deps.Store.IAMGroups, name, g, iam.GroupExists); err != nil {
		return nil, err
	}
	return &groupOutput{Group: a.groupToWire(g)}, nil
}

// group reads the group name names.
func (a *API) group(ctx context.Context, name string) (store.Item[iam.Group], error) {
	it, err := a.deps.Store.IAMGroups.Get(ctx, iam.Key(name))
	if errors.Is(err, errdefs.ErrNotFound) {
		return it, iam.GroupNotFound(name)
	}
	return it, err
}

type getGroupInput struct {
	GroupName *string `query:"GroupName"`
	Marker    *string `query:"Marker"`
	MaxItems  *int32  `query:"MaxItems"`
}

type getGroupOutput struct {
	Group wireGroup      `xml:"Group"`
	Users list[wireUser] `xml:"Users"`
	truncation
}

func (a *API) getGroup(ctx context.Context, in *getGroupInput) (*getGroupOutput, error) {
	name, err := required(in.GroupName, "groupName")
	if err != nil {
		return nil, err
	}
	g, err := a.group(ctx, name)
	if err != nil {
		return nil, err
	}
	members, err := a.members(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	page, tr, err := markerPage(members, itemID, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &getGroupOutput{Group: a.groupToWire(g.Value), Users: list[wireUser]{}, truncation: tr}
	for _, u := range page {
		out.Users = append(out.Users, a.userToWire(u.Value, false))
	}
	return out, nil
}

// members lists the users of the group with key group.
func (a *API) members(ctx context.Context, group string) ([]store.Item[iam.User], error) {
	users, _, err := a.deps.Store.IAMUsers.List(ctx, "")
	return slices.DeleteFunc(users, func(u store.Item[iam.User]) bool { return !u.Value.InGroup(group) }), err
}

type listGroupsInput struct {
	PathPrefix *string `query:"PathPrefix"`
	Marker     *string `query:"Marker"`
	MaxItems   *int32  `query:"MaxItems"`
}

type listGroupsOutput struct {
	Groups list[wireGroup] `xml:"Groups"`
	truncation
}

func (a *API) listGroups(ctx context.Context, in *listGroupsInput) (*listGroupsOutput, error) {
	out, tr, err := listByPath(ctx, a.deps.Store.IAMGroups, func(g iam.Group) string { return g.Path }, in.PathPrefix, in.Marker, in.MaxItems, a.groupToWire)
	if err != nil {
		return nil, err
	}
	return &listGroupsOutput{Groups: out, truncation: tr}, nil
}

func (a *API) groupsPage(items []store.Item[iam.Group], marker *string, maxItems *int32) (*listGroupsOutput, error) {
	page, tr, err := markerPage(items, itemID, marker, maxItems)
	if err != nil {
		return nil, err
	}
	out := &listGroupsOutput{Groups: list[wireGroup]{}, truncation: tr}
	for _, g := range page {
		out.Groups = append(out.Groups, a.groupToWire(g.Value))
	}
	return out, nil
}

type listGroupsForUserInput struct {
	UserName *string `query:"UserName"`
	Marker   *string `query:"Marker"`
	MaxItems *int32  `query:"MaxItems"`
}

func (a *API) listGroupsForUser(ctx context.Context, in *listGroupsForUserInput) (*listGroupsOutput, error) {
	name, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	u, err := a.user(ctx, name)
	if err != nil {
		return nil, err
	}
	var groups []store.Item[iam.Group]
	for _, key := range u.Value.Groups {
		g, err := a.deps.Store.IAMGroups.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	return a.groupsPage(groups, in.Marker, in.MaxItems)
}

type groupNameInput struct {
	GroupName *string `query:"GroupName"`
}

func (a *API) deleteGroup(ctx context.Context, in *groupNameInput) (*emptyOutput, error) {
	name, err := required(in.GroupName, "groupName")
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		g, err := a.group(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		members, err := a.members(ctx, g.ID)
		if err != nil {
			return struct{}{}, err
		}
		if len(members) > 0 {
			return struct{}{}, iam.ErrGroupHasMembers
		}
		if err := g.Value.Policies.CheckDeletable(); err != nil {
			return struct{}{}, err
		}
		// Membership changes rewrite the group, so a user who joined since the read fails this.
		return struct{}{}, removeAt(ctx, a.deps.Store, a.deps.Store.IAMGroups, g)
	})
	return &emptyOutput{}, err
}

type membershipInput struct {
	GroupName *string `query:"GroupName"`
	UserName  *string `query:"UserName"`
}

func (a *API) addUserToGroup(ctx context.Context, in *membershipInput) (*emptyOutput, error) {
	return a.changeMembership(ctx, in, func(u *iam.User, g iam.Group) error {
		u.Join(iam.Key(g.Name))
		return nil
	})
}

func (a *API) removeUserFromGroup(ctx context.Context, in *membershipInput) (*emptyOutput, error) {
	return a.changeMembership(ctx, in, func(u *iam.User, g iam.Group) error { return u.Leave(iam.Key(g.Name), g.Name) })
}

// changeMembership changes a user's groups and rewrites the group in the same transaction, so
// that DeleteGroup, which checks for members, cannot miss a user who joins meanwhile.
func (a *API) changeMembership(ctx context.Context, in *membershipInput, change func(*iam.User, iam.Group) error) (*emptyOutput, error) {
	groupName, err := required(in.GroupName, "groupName")
	if err != nil {
		return nil, err
	}
	userName, err := required(in.UserName, "userName")
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		g, err := a.group(ctx, groupName)
		if err != nil {
			return struct{}{}, err
		}
		u, err := a.user(ctx, userName)
		if err != nil {
			return struct{}{}, err
		}
		if err := change(&u.Value, g.Value); err != nil {
			return struct{}{}, err
		}
		var txn store.Txn
		if err := a.deps.Store.IAMUsers.Put(&txn, u.ID, u.Value, u.Revision); err != nil {
			return struct{}{}, err
		}
		if err := a.deps.Store.IAMGroups.Put(&txn, g.ID, g.Value, g.Revision); err != nil {
			return struct{}{}, err
		}
		_, err = a.deps.Store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	return &emptyOutput{}, err
}
