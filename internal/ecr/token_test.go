package ecr_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecr"
)

func TestToken(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	secrets := map[string]string{"AKIAOLD": "old-secret", "AKIANEW": "new-secret"}
	lookup := func(id string) (string, bool) { s, ok := secrets[id]; return s, ok }
	good := ecr.NewToken("AKIAOLD", "old-secret", now.Add(ecr.TokenTTL))

	if tok, err := ecr.VerifyToken(good, lookup, now); err != nil || tok.AccessKeyID != "AKIAOLD" || !tok.Expires.Equal(now.Add(ecr.TokenTTL)) {
		t.Fatalf("fresh token: %+v, %v", tok, err)
	}
	forged := strings.Replace(good, ".1700", ".1800", 1) // a later expiry, same MAC
	for _, tc := range []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"expired", good, now.Add(ecr.TokenTTL), ecr.ErrTokenExpired},
		{"longer expiry", forged, now, ecr.ErrInvalidToken},
		{"signed with another secret", ecr.NewToken("AKIANEW", "old-secret", now.Add(time.Hour)), now, ecr.ErrInvalidToken},
		{"unknown key", ecr.NewToken("AKIAGONE", "x", now.Add(time.Hour)), now, ecr.ErrInvalidToken},
		{"garbage", "hello", now, ecr.ErrInvalidToken},
		{"empty", "", now, ecr.ErrInvalidToken},
	} {
		if _, err := ecr.VerifyToken(tc.token, lookup, tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	delete(secrets, "AKIAOLD") // the key was rotated away
	if _, err := ecr.VerifyToken(good, lookup, now); !errors.Is(err, ecr.ErrInvalidToken) {
		t.Errorf("token of a rotated key: %v", err)
	}
	decoded, err := base64.StdEncoding.DecodeString(ecr.AuthorizationToken(good))
	if err != nil || string(decoded) != "AWS:"+good {
		t.Errorf("authorization token decodes to %q, %v", decoded, err)
	}
}

// TestRegionToken: a region's token names its region, verifies with it, and a token whose
// region was changed does not verify.
func TestRegionToken(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	lookup := func(id string) (string, bool) { return "secret", id == "AKIA" }
	seoul := ecr.NewRegionToken("AKIA", "secret", "ap-northeast-2", now.Add(time.Hour))
	if got := ecr.TokenRegion(seoul); got != "ap-northeast-2" {
		t.Errorf("TokenRegion = %q", got)
	}
	if got := ecr.TokenRegion(ecr.NewToken("AKIA", "secret", now.Add(time.Hour))); got != "" {
		t.Errorf("TokenRegion of a home token = %q", got)
	}
	if tok, err := ecr.VerifyToken(seoul, lookup, now); err != nil || tok.Region != "ap-northeast-2" || tok.AccessKeyID != "AKIA" {
		t.Fatalf("region token: %+v, %v", tok, err)
	}
	moved := strings.Replace(seoul, ".ap-northeast-2.", ".us-west-2.", 1)
	if _, err := ecr.VerifyToken(moved, lookup, now); !errors.Is(err, ecr.ErrInvalidToken) {
		t.Errorf("token with another region: %v", err)
	}
}
