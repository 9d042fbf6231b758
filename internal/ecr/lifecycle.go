package ecr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Lifecycle rule values.
const (
	RuleTagged   = "tagged"
	RuleUntagged = "untagged"
	RuleAny      = "any"

	CountImagesMoreThan  = "imageCountMoreThan"
	CountSincePushed     = "sinceImagePushed"
	CountSincePulled     = "sinceImagePulled"
	CountSinceTransition = "sinceImageTransitioned"

	ActionExpire     = "expire"
	ActionTransition = "transition"
)

// LifecyclePolicy is a repository's lifecycle policy. fargo carries out its rules for untagged
// images (tagStatus untagged, with imageCountMoreThan or sinceImagePushed, action expire); it
// checks and stores the others without carrying them out.
type LifecyclePolicy struct {
	Rules []LifecycleRule
}

// LifecycleRule is one rule of a lifecycle policy.
type LifecycleRule struct {
	Priority    int
	Description string
	TagStatus   string
	TagPrefixes []string
	TagPatterns []string
	CountType   string
	CountUnit   string
	CountNumber int
	Action      string
}

// policyDocument is the JSON of a lifecycle policy, as users write it.
type policyDocument struct {
	Rules []policyRule `json:"rules"`
}

type policyRule struct {
	RulePriority *int             `json:"rulePriority"`
	Description  string           `json:"description"`
	Selection    *policySelection `json:"selection"`
	Action       *policyAction    `json:"action"`
}

type policySelection struct {
	TagStatus      string   `json:"tagStatus"`
	TagPrefixList  []string `json:"tagPrefixList"`
	TagPatternList []string `json:"tagPatternList"`
	CountType      string   `json:"countType"`
	CountUnit      string   `json:"countUnit"`
	CountNumber    *int     `json:"countNumber"`
	StorageClass   string   `json:"storageClass"`
}

type policyAction struct {
	Type               string `json:"type"`
	TargetStorageClass string `json:"targetStorageClass"`
}

// ParseLifecyclePolicy reads and checks a lifecycle policy as ECR does.
func ParseLifecyclePolicy(text string) (LifecyclePolicy, error) {
	var doc policyDocument
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return LifecyclePolicy{}, policyError("the policy is not a valid JSON lifecycle policy document: %v", err)
	}
	if len(doc.Rules) == 0 {
		return LifecyclePolicy{}, policyError("the policy has no rules")
	}
	var p LifecyclePolicy
	seen := map[int]bool{}
	for i, r := range doc.Rules {
		rule, err := parseRule(i, r)
		if err != nil {
			return LifecyclePolicy{}, err
		}
		if seen[rule.Priority] {
			return LifecyclePolicy{}, policyError("rulePriority %d is used by more than one rule", rule.Priority)
		}
		seen[rule.Priority] = true
		p.Rules = append(p.Rules, rule)
	}
	sort.Slice(p.Rules, func(a, b int) bool { return p.Rules[a].Priority < p.Rules[b].Priority })
	for i, r := range p.Rules {
		if r.TagStatus == RuleAny && i != len(p.Rules)-1 {
			return LifecyclePolicy{}, policyError("the rule with tagStatus any must have the highest rulePriority")
		}
	}
	return p, nil
}

func parseRule(i int, in policyRule) (LifecycleRule, error) {
	priority, sel, action := in.RulePriority, in.Selection, in.Action
	switch {
	case priority == nil || *priority < 1:
		return LifecycleRule{}, policyError("rule %d needs a rulePriority of at least 1", i+1)
	case sel == nil:
		return LifecycleRule{}, policyError("rule %d has no selection", *priority)
	case action == nil:
		return LifecycleRule{}, policyError("rule %d has no action", *priority)
	case sel.CountNumber == nil || *sel.CountNumber < 1:
		return LifecycleRule{}, policyError("rule %d needs a countNumber of at least 1", *priority)
	}
	r := LifecycleRule{
		Priority: *priority, Description: in.Description, TagStatus: sel.TagStatus, TagPrefixes: sel.TagPrefixList,
		TagPatterns: sel.TagPatternList, CountType: sel.CountType, CountUnit: sel.CountUnit, CountNumber: *sel.CountNumber,
		Action: action.Type,
	}
	if err := r.checkTags(); err != nil {
		return LifecycleRule{}, err
	}
	if err := r.checkCount(); err != nil {
		return LifecycleRule{}, err
	}
	if r.Action != ActionExpire && r.Action != ActionTransition {
		return LifecycleRule{}, policyError("rule %d: action type must be %s or %s", r.Priority, ActionExpire, ActionTransition)
	}
	return r, nil
}

func (r LifecycleRule) checkTags() error {
	switch r.TagStatus {
	case RuleTagged:
		if len(r.TagPrefixes) == 0 && len(r.TagPatterns) == 0 {
			return policyError("rule %d: tagStatus tagged needs a tagPrefixList or a tagPatternList", r.Priority)
		}
		if len(r.TagPrefixes) > 0 && len(r.TagPatterns) > 0 {
			return policyError("rule %d: give either tagPrefixList or tagPatternList, not both", r.Priority)
		}
	case RuleUntagged, RuleAny:
		if len(r.TagPrefixes) > 0 || len(r.TagPatterns) > 0 {
			return policyError("rule %d: tagPrefixList and tagPatternList go with tagStatus tagged only", r.Priority)
		}
	default:
		return policyError("rule %d: tagStatus must be %s, %s or %s", r.Priority, RuleTagged, RuleUntagged, RuleAny)
	}
	return nil
}

func (r LifecycleRule) checkCount() error {
	switch r.CountType {
	case CountImagesMoreThan:
		if r.CountUnit != "" {
			return policyError("rule %d: countUnit does not go with countType %s", r.Priority, CountImagesMoreThan)
		}
	case CountSincePushed, CountSincePulled, CountSinceTransition:
		if r.CountUnit != "days" {
			return policyError("rule %d: countType %s needs countUnit days", r.Priority, r.CountType)
		}
	default:
		return policyError("rule %d: countType must be %s, %s, %s or %s", r.Priority, CountImagesMoreThan, CountSincePushed, CountSincePulled, CountSinceTransition)
	}
	return nil
}

func policyError(format string, args ...any) error {
	return errdefs.Detail(ErrInvalidParameter, "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: %s'", fmt.Sprintf(format, args...))
}

// CarriedOut reports whether fargo carries the rule out.
func (r LifecycleRule) CarriedOut() bool {
	return r.TagStatus == RuleUntagged && r.Action == ActionExpire && (r.CountType == CountImagesMoreThan || r.CountType == CountSincePushed)
}

// Expire returns the digests of the images the policy expires at now. ECR evaluates rules by
// priority and an image that one rule selects is out of reach of the rules after it, so the
// untagged images belong to the first untagged rule; fargo carries that rule out when
// CarriedOut. An untagged manifest that an index in images refers to (a platform image of a
// multi-platform image, an attestation) is part of that index, not an image of its own, and is
// never expired.
func (p LifecyclePolicy) Expire(images []Image, now time.Time) []string {
	i := slices.IndexFunc(p.Rules, func(r LifecycleRule) bool { return r.TagStatus == RuleUntagged || r.TagStatus == RuleAny })
	if i < 0 || !p.Rules[i].CarriedOut() {
		return nil
	}
	rule := p.Rules[i]
	referenced := Referenced(images)
	var candidates []Image
	for _, img := range images {
		if !img.Tagged() && !referenced[img.Digest] {
			candidates = append(candidates, img)
		}
	}
	// Newest first; the digest breaks ties so that the answer does not depend on list order.
	sort.Slice(candidates, func(a, b int) bool {
		if !candidates[a].PushedAt.Equal(candidates[b].PushedAt) {
			return candidates[a].PushedAt.After(candidates[b].PushedAt)
		}
		return candidates[a].Digest < candidates[b].Digest
	})
	var out []string
	for n, img := range candidates {
		switch rule.CountType {
		case CountImagesMoreThan:
			if n >= rule.CountNumber {
				out = append(out, img.Digest)
			}
		case CountSincePushed:
			if now.Sub(img.PushedAt) > time.Duration(rule.CountNumber)*24*time.Hour {
				out = append(out, img.Digest)
			}
		}
	}
	sort.Strings(out)
	return out
}
