package identity

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// Opener decrypts secrets sealed for a context (credentials.Box).
type Opener interface {
	Open(sealed, context []byte) ([]byte, error)
}

// Config holds a Directory's settings. The zero value works.
type Config struct {
	// AccountID names principals' ARNs; 000000000000 when empty.
	AccountID string
	// UsageFlush is how often key usage is written to the store; one second when zero.
	UsageFlush time.Duration
	// SyncWait is how long a lookup of an IAM key waits for the first load of the store at
	// start-up; five seconds when zero.
	SyncWait time.Duration
}

// Deps are a Directory's collaborators.
type Deps struct {
	Store *store.Store
	// Root returns the secret of the server's own key, the account's root; nil knows none.
	Root func(accessKeyID string) (string, bool)
	// Secrets opens the sealed secrets of IAM users' keys.
	Secrets Opener
	Logger  *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Principal is who owns an access key.
type Principal struct {
	// ARN is arn:aws:iam::<account>:root or arn:aws:iam::<account>:user<path><name>.
	ARN string
	// UserID is the user's unique id (AIDA...), or the account id for root.
	UserID string
	// UserName is empty for root.
	UserName  string
	AccountID string
	Root      bool
	Tags      []tagset.Tag
	// Policies are the documents of every policy that applies to a user; none for root,
	// which may do everything.
	Policies []Policy
}

// Policy is one policy document that applies to a principal.
type Policy struct {
	// Source names where it comes from: a managed policy's ARN, or
	// <user-or-group ARN>/inline/<name> for an inline one.
	Source   string
	Document string
}

// Directory answers access key lookups from informer-fed memory. Create it with New and run
// it with Run.
type Directory struct {
	cfg      Config
	deps     Deps
	keys     *store.Informer[iam.AccessKey]
	users    *store.Informer[iam.User]
	groups   *store.Informer[iam.Group]
	policies *store.Informer[iam.ManagedPolicy]
	synced   chan struct{}

	mu    sync.Mutex
	usage map[string]iam.KeyUse // not yet written
}

// New returns a Directory over deps.Store.
func New(cfg Config, deps Deps) *Directory {
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.UsageFlush <= 0 {
		cfg.UsageFlush = time.Second
	}
	if cfg.SyncWait <= 0 {
		cfg.SyncWait = 5 * time.Second
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Root == nil {
		deps.Root = func(string) (string, bool) { return "", false }
	}
	return &Directory{
		cfg: cfg, deps: deps,
		keys:     store.NewInformer(deps.Store.IAMAccessKeys, nil),
		users:    store.NewInformer(deps.Store.IAMUsers, nil),
		groups:   store.NewInformer(deps.Store.IAMGroups, nil),
		policies: store.NewInformer(deps.Store.IAMPolicies, nil),
		synced:   make(chan struct{}),
		usage:    map[string]iam.KeyUse{},
	}
}

// Run follows the store until ctx ends, and writes the key usage noted last before it returns.
func (d *Directory) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return d.keys.Run(gctx) })
	g.Go(func() error { return d.users.Run(gctx) })
	g.Go(func() error { return d.groups.Run(gctx) })
	g.Go(func() error { return d.policies.Run(gctx) })
	g.Go(func() error {
		for _, inf := range []<-chan struct{}{d.keys.Synced(), d.users.Synced(), d.groups.Synced(), d.policies.Synced()} {
			select {
			case <-inf:
			case <-gctx.Done():
				return nil
			}
		}
		close(d.synced)
		return nil
	})
	g.Go(func() error { return d.flushLoop(gctx) })
	return g.Wait()
}

// Synced is closed once the Directory has loaded the store.
func (d *Directory) Synced() <-chan struct{} { return d.synced }

// waitSynced waits, at start-up only, until the store is loaded.
func (d *Directory) waitSynced() bool {
	select {
	case <-d.synced:
		return true
	default:
	}
	t := time.NewTimer(d.cfg.SyncWait)
	defer t.Stop()
	select {
	case <-d.synced:
		return true
	case <-t.C:
		return false
	}
}

// Secret returns the secret of accessKeyID if it is the root key or an IAM user's Active key:
// a sigv4.Lookup.
func (d *Directory) Secret(accessKeyID string) (string, bool) {
	if s, ok := d.deps.Root(accessKeyID); ok {
		return s, true
	}
	k, ok := d.activeKey(accessKeyID)
	if !ok {
		return "", false
	}
	secret, err := d.deps.Secrets.Open(k.SealedSecret, []byte(k.ID))
	if err != nil {
		d.deps.Logger.Error("cannot open the secret of an access key: is this the data directory's secrets key?", "access_key_id", k.ID, "err", err)
		return "", false
	}
	return string(secret), true
}

func (d *Directory) activeKey(accessKeyID string) (iam.AccessKey, bool) {
	if !d.waitSynced() {
		return iam.AccessKey{}, false
	}
	it, ok := d.keys.Get(accessKeyID)
	if !ok || it.Value.Status != iam.KeyActive {
		// Another server sharing the store may have just created or activated the key, before
		// this copy heard of it: the store has the last word, so that a key works on every
		// member as soon as its creation was acknowledged.
		it, ok = readThrough(d.deps.Store.IAMAccessKeys, d.keys, accessKeyID)
	}
	if !ok || it.Value.Status != iam.KeyActive {
		return iam.AccessKey{}, false
	}
	return it.Value, true
}

// storeReadTimeout bounds a lookup's read of what the directory's copy lacks.
const storeReadTimeout = 5 * time.Second

// readThrough reads id from the store (a linearizable read) into the informer's copy.
func readThrough[T any](coll store.Collection[T], inf *store.Informer[T], id string) (store.Item[T], bool) {
	ctx, cancel := context.WithTimeout(context.Background(), storeReadTimeout)
	defer cancel()
	it, err := coll.Get(ctx, id)
	if err != nil {
		return it, false
	}
	inf.Upsert(it)
	return it, true
}

// Principal returns who owns accessKeyID, an Active key.
func (d *Directory) Principal(accessKeyID string) (Principal, bool) {
	if _, ok := d.deps.Root(accessKeyID); ok {
		return d.root(), true
	}
	k, ok := d.activeKey(accessKeyID)
	if !ok {
		return Principal{}, false
	}
	u, ok := d.users.Get(iam.Key(k.UserName))
	if !ok {
		u, ok = readThrough(d.deps.Store.IAMUsers, d.users, iam.Key(k.UserName))
	}
	if !ok {
		return Principal{}, false
	}
	return d.userPrincipal(u.Value), true
}

func (d *Directory) root() Principal {
	acct := d.cfg.AccountID
	return Principal{ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, AccountID: acct, Root: true}
}

func (d *Directory) userPrincipal(u iam.User) Principal {
	arn := u.ARN(d.cfg.AccountID)
	p := Principal{ARN: arn, UserID: u.ID, UserName: u.Name, AccountID: d.cfg.AccountID, Tags: u.Tags}
	p.Policies = d.appendPolicies(p.Policies, arn, u.Policies)
	for _, g := range u.Groups {
		if it, ok := d.groups.Get(g); ok {
			p.Policies = d.appendPolicies(p.Policies, it.Value.ARN(d.cfg.AccountID), it.Value.Policies)
		}
	}
	return p
}

// appendPolicies adds the documents of owner's policies: the default version of each attached
// managed policy, and each inline one.
func (d *Directory) appendPolicies(out []Policy, owner string, ps iam.Policies) []Policy {
	for _, arn := range ps.Attached {
		if doc, ok := d.managedDocument(arn); ok {
			out = append(out, Policy{Source: arn, Document: doc})
		}
	}
	for _, ip := range ps.Inline {
		out = append(out, Policy{Source: owner + "/inline/" + ip.Name, Document: ip.Document})
	}
	return out
}

func (d *Directory) managedDocument(arn string) (string, bool) {
	ref, err := iam.ParsePolicyARN(arn)
	if err != nil {
		return "", false
	}
	if ref.Account == iam.AWSAccount {
		p, ok := iam.AWSPolicy(ref)
		return p.Default().Document, ok
	}
	it, ok := d.policies.Get(iam.Key(ref.Name))
	if !ok {
		return "", false
	}
	return it.Value.Default().Document, true
}
