package ecr

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// TokenTTL is how long an authorization token works, as in ECR.
const TokenTTL = 12 * time.Hour

// TokenUser is the user name that goes with every token.
const TokenUser = "AWS"

// tokenVersion starts every token, so that a later format can be told apart.
const tokenVersion = "fargo1"

// regionTokenVersion starts the tokens of a region other than the server's home region, which
// carry the region (docs/regions.md): the registry serves the repositories of the token's region.
const regionTokenVersion = "fargo2"

// NewToken returns the registry password that GetAuthorizationToken hands to the holder of
// access key keyID (whose secret is secret), valid until expires. The password carries the key
// id and the expiry in the clear and an HMAC over both, keyed by a key derived from the secret:
// the registry checks it with nothing but the credentials, so no token state can be lost, and a
// token stops working when its access key is rotated or removed.
func NewToken(keyID, secret string, expires time.Time) string {
	payload := keyID + "." + strconv.FormatInt(expires.Unix(), 10)
	return tokenVersion + "." + payload + "." + tokenMAC(secret, payload)
}

// NewRegionToken is NewToken for the repositories of region, a region other than the server's
// home region: the region is in the clear and under the HMAC, so the registry can tell which
// region's repositories a request is for before it verifies the token, and no one can change it.
func NewRegionToken(keyID, secret, region string, expires time.Time) string {
	payload := keyID + "." + strconv.FormatInt(expires.Unix(), 10) + "." + region
	return regionTokenVersion + "." + payload + "." + tokenMAC(secret, payload)
}

// TokenRegion returns the region a registry password names without verifying it ("" for a
// token of the home region, or for no token at all).
func TokenRegion(password string) string {
	parts := strings.Split(password, ".")
	if len(parts) != 5 || parts[0] != regionTokenVersion {
		return ""
	}
	return parts[3]
}

// AuthorizationToken is how ECR hands a password out: base64 of "AWS:<password>".
func AuthorizationToken(password string) string {
	return base64.StdEncoding.EncodeToString([]byte(TokenUser + ":" + password))
}

// Token is what a verified registry password says.
type Token struct {
	AccessKeyID string
	Expires     time.Time
	// Region is the region of a NewRegionToken, empty for the home region's.
	Region string
}

// VerifyToken checks a registry password at now and returns what it says. secretOf looks up
// the current secret of an access key id.
func VerifyToken(password string, secretOf func(keyID string) (string, bool), now time.Time) (Token, error) {
	parts := strings.Split(password, ".")
	var region string
	switch {
	case len(parts) == 4 && parts[0] == tokenVersion:
	case len(parts) == 5 && parts[0] == regionTokenVersion && parts[3] != "":
		region = parts[3]
		parts = append(parts[:3], parts[4])
	default:
		return Token{}, ErrInvalidToken
	}
	keyID, expiry, mac := parts[1], parts[2], parts[3]
	secret, ok := secretOf(keyID)
	if !ok {
		return Token{}, ErrInvalidToken
	}
	payload := keyID + "." + expiry
	if region != "" {
		payload += "." + region
	}
	if !hmac.Equal([]byte(mac), []byte(tokenMAC(secret, payload))) {
		return Token{}, ErrInvalidToken
	}
	unix, err := strconv.ParseInt(expiry, 10, 64)
	if err != nil {
		return Token{}, ErrInvalidToken
	}
	if !now.Before(time.Unix(unix, 0)) {
		return Token{}, ErrTokenExpired
	}
	return Token{AccessKeyID: keyID, Expires: time.Unix(unix, 0), Region: region}, nil
}

// tokenMAC is the HMAC of payload under a key derived from secret for this one use, so that a
// token reveals nothing usable for SigV4.
func tokenMAC(secret, payload string) string {
	derive := hmac.New(sha256.New, []byte(secret))
	derive.Write([]byte("fargo ecr authorization token"))
	mac := hmac.New(sha256.New, derive.Sum(nil))
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
