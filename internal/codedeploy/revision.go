package codedeploy

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Revision types fargo refuses: it reads no S3 bucket and no GitHub repository.
const (
	RevisionS3     = "S3"
	RevisionGitHub = "GitHub"
)

// ApplicationRevision is a revision registered with an application, by
// RegisterApplicationRevision or by a deployment of it. A revision is its AppSpec: the same
// content is one revision, whatever its type, as CodeDeploy identifies String revisions by
// their sha256. Revision.SHA256 is always set.
type ApplicationRevision struct {
	ApplicationName string
	Revision        Revision
	Description     string
	RegisterTime    time.Time
	// FirstUsedTime and LastUsedTime are when a deployment first and last used the revision;
	// zero while none has.
	FirstUsedTime time.Time
	LastUsedTime  time.Time
}

// ContentSHA256 is the SHA-256 of an AppSpec's content, in lower-case hex: the identity of a
// revision.
func ContentSHA256(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

// checkRevisionType checks that a revision is given inline, the only way fargo takes one.
func checkRevisionType(typ string) error {
	switch typ {
	case RevisionAppSpecContent, RevisionString:
		return nil
	case RevisionS3, RevisionGitHub:
		return errdefs.Detail(ErrInvalidRevision, "%s revisions are not supported: fargo reads no Amazon S3 bucket and no GitHub repository. Give the AppSpec inline, as revisionType AppSpecContent with appSpecContent.content.", typ)
	case "":
		return errdefs.Detail(ErrInvalidRevision, "The revision has no revisionType: give the AppSpec inline, as revisionType AppSpecContent with appSpecContent.content.")
	}
	return errdefs.Detail(ErrInvalidRevision, "The revision type %q is not supported: fargo takes the AppSpec inline, as revisionType AppSpecContent with appSpecContent.content.", typ)
}

// RevisionKey returns the sha256 that identifies the revision r names: its content's, which
// must match the sha256 given with it, or the sha256 alone when r gives no content.
func RevisionKey(r Revision) (string, error) {
	if err := checkRevisionType(r.Type); err != nil {
		return "", err
	}
	given := strings.ToLower(r.SHA256)
	if r.Content == "" {
		if !isSHA256(given) {
			return "", errdefs.Detail(ErrInvalidRevision, "The revision names neither content nor a valid sha256 (64 hexadecimal digits).")
		}
		return given, nil
	}
	sum := ContentSHA256(r.Content)
	if given != "" && given != sum {
		return "", errdefs.Detail(ErrInvalidRevision, "The sha256 %s does not match the AppSpec content (%s).", r.SHA256, sum)
	}
	return sum, nil
}

func isSHA256(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// RegisterRevision returns the registration of r with application app, made or renewed at
// now: cur is the revision's registration so far, if any. A renewal keeps the registration
// time and takes the new description, if one is given.
func RegisterRevision(cur *ApplicationRevision, app string, r Revision, description string, now time.Time) (ApplicationRevision, error) {
	if utf8.RuneCountInString(description) > maxDescription {
		return ApplicationRevision{}, ErrDescriptionTooLong
	}
	if _, err := CheckRevision(r); err != nil {
		return ApplicationRevision{}, err
	}
	out := ApplicationRevision{ApplicationName: app, Revision: r, RegisterTime: now}
	if cur != nil {
		out = *cur
	}
	out.Revision.SHA256 = ContentSHA256(r.Content)
	if description != "" {
		out.Description = description
	}
	return out, nil
}

// UseRevision returns the registration of r with application app after a deployment used it
// at now, registering it if cur is nil: CodeDeploy registers the revision of every deployment.
func UseRevision(cur *ApplicationRevision, app string, r Revision, now time.Time) ApplicationRevision {
	out := ApplicationRevision{ApplicationName: app, Revision: r, RegisterTime: now}
	if cur != nil {
		out = *cur
	}
	out.Revision.SHA256 = ContentSHA256(r.Content)
	if out.FirstUsedTime.IsZero() {
		out.FirstUsedTime = now
	}
	out.LastUsedTime = now
	return out
}

// How ListApplicationRevisions sorts and filters.
const (
	SortRegisterTime  = "registerTime"
	SortFirstUsedTime = "firstUsedTime"
	SortLastUsedTime  = "lastUsedTime"
	SortAscending     = "ascending"
	SortDescending    = "descending"
	DeployedInclude   = "include"
	DeployedExclude   = "exclude"
	DeployedIgnore    = "ignore"
)

// RevisionQuery is what ListApplicationRevisions selects and sorts by. Empty members take
// CodeDeploy's defaults: no particular order, ascending, all revisions.
type RevisionQuery struct {
	SortBy    string
	SortOrder string
	Deployed  string
}

// Check checks the query's values.
func (q RevisionQuery) Check() error {
	if !slices.Contains([]string{"", SortRegisterTime, SortFirstUsedTime, SortLastUsedTime}, q.SortBy) {
		return errdefs.Detail(ErrInvalidSortBy, "The sort column %q is invalid: use registerTime, firstUsedTime or lastUsedTime.", q.SortBy)
	}
	if !slices.Contains([]string{"", SortAscending, SortDescending}, q.SortOrder) {
		return errdefs.Detail(ErrInvalidSortOrder, "The sort order %q is invalid: use ascending or descending.", q.SortOrder)
	}
	if !slices.Contains([]string{"", DeployedInclude, DeployedExclude, DeployedIgnore}, q.Deployed) {
		return errdefs.Detail(ErrInvalidDeployedStateFilter, "The deployed state filter %q is invalid: use include, exclude or ignore.", q.Deployed)
	}
	return nil
}

// Select returns the revisions q selects, in its order: targets holds the sha256 of each
// deployment group's target revision (its newest deployment's), which "deployed" filters by.
// Revisions that sort alike keep the order of their sha256, so that pages stay stable.
func (q RevisionQuery) Select(revs []ApplicationRevision, targets map[string]bool) []ApplicationRevision {
	var out []ApplicationRevision
	for _, r := range revs {
		deployed := targets[r.Revision.SHA256]
		if q.Deployed == DeployedInclude && !deployed || q.Deployed == DeployedExclude && deployed {
			continue
		}
		out = append(out, r)
	}
	at := func(r ApplicationRevision) time.Time {
		switch q.SortBy {
		case SortRegisterTime:
			return r.RegisterTime
		case SortFirstUsedTime:
			return r.FirstUsedTime
		case SortLastUsedTime:
			return r.LastUsedTime
		}
		return time.Time{}
	}
	slices.SortStableFunc(out, func(a, b ApplicationRevision) int {
		c := at(a).Compare(at(b))
		if q.SortOrder == SortDescending {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.Revision.SHA256, b.Revision.SHA256))
	})
	return out
}
