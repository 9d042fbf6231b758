package sigv4

import (
	"crypto/hmac"
	"fmt"
	"net/http"
	"time"
)

// DefaultMaxSkew is the clock skew Verifier allows when MaxSkew is zero. It is the JS SDK's own
// threshold for correcting its clock; AWS itself allows 15 minutes.
const DefaultMaxSkew = 5 * time.Minute

// Lookup returns the secret access key of accessKeyID, and false when the key is not known.
type Lookup func(accessKeyID string) (secret string, ok bool)

// Identity is who signed a verified request and for which scope.
type Identity struct {
	AccessKeyID string
	// SessionToken is X-Amz-Security-Token, empty for long-term keys. Verify only checks that it
	// is signed; whether it belongs to AccessKeyID is the caller's decision.
	SessionToken string
	// Region and Service are the credential scope the client signed for, for example
	// "us-east-1" and "ecs". The caller checks them against the endpoint it serves.
	Region  string
	Service string
}

// Verifier checks SigV4 signatures. Its zero value works and rejects every key.
type Verifier struct {
	// Lookup finds the secret of an access key id; nil knows no keys.
	Lookup Lookup
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxSkew is how far X-Amz-Date may be from Now in either direction; zero or less means
	// DefaultMaxSkew.
	MaxSkew time.Duration
}

// Verify checks the signature of r, a request as an http.Server hands it over (Host in r.Host,
// the query in r.URL), whose body the caller has already read into body. On failure the error
// is a *Error.
func (v Verifier) Verify(r *http.Request, body []byte) (Identity, error) {
	query := r.URL.Query()
	a, err := parseAuth(r, query)
	if err != nil {
		return Identity{}, err
	}
	if err := v.checkTime(a.time, a.amzDate, a.expires); err != nil {
		return Identity{}, err
	}
	secret, ok := v.secret(a.scope.accessKeyID)
	if !ok {
		return Identity{}, fail(UnknownKey, msgUnknownKey)
	}
	payload, err := payloadHash(r.Header, body)
	if err != nil {
		return Identity{}, err
	}
	want := signature(secret, a, canonicalRequest(r, a, query, payload))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return Identity{}, fail(SignatureMismatch, msgSignatureMismatch)
	}
	return Identity{
		AccessKeyID:  a.scope.accessKeyID,
		SessionToken: a.sessionToken,
		Region:       a.scope.region,
		Service:      a.scope.service,
	}, nil
}

func (v Verifier) secret(accessKeyID string) (string, bool) {
	if v.Lookup == nil {
		return "", false
	}
	return v.Lookup(accessKeyID)
}

// checkTime accepts a signing time within the skew of now, or, for a presigned request with
// X-Amz-Expires, any time up to its expiry that is not in the future.
func (v Verifier) checkTime(signed time.Time, amzDate string, expires time.Duration) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now().UTC()
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	switch {
	case signed.After(t.Add(skew)):
		return fail(NotYetCurrent, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			amzDate, t.Add(skew).Format(amzDateLayout), t.Format(amzDateLayout), formatSkew(skew)))
	case expires > 0 && t.After(signed.Add(expires)):
		return fail(Expired, msgPresignExpired)
	case expires == 0 && signed.Before(t.Add(-skew)):
		return fail(Expired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			amzDate, t.Add(-skew).Format(amzDateLayout), t.Format(amzDateLayout), formatSkew(skew)))
	}
	return nil
}

// formatSkew writes the skew as AWS does, "5 min.", falling back to Go's notation for skews
// that are not whole minutes.
func formatSkew(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min.", d/time.Minute)
	}
	return d.String() + "."
}
