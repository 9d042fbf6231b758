package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// cookieName names the session cookie.
const cookieName = "fargo_console"

// session is one signed-in browser. It lives only in the server's memory: a restart signs
// everyone out, and nothing secret is in the cookie but a random id.
type session struct {
	id        string
	csrf      string
	principal Principal
	lastSeen  time.Time
}

// sessions holds the signed-in sessions and forgets those idle longer than idle.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	idle time.Duration
	now  func() time.Time
}

func newSessions(idle time.Duration, now func() time.Time) *sessions {
	return &sessions{byID: map[string]*session{}, idle: idle, now: now}
}

// start creates a session for p.
func (s *sessions) start(p Principal) (*session, error) {
	id, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	sess := &session{id: id, csrf: csrf, principal: p, lastSeen: s.now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	s.byID[id] = sess
	return sess, nil
}

// get returns the live session of r's cookie and marks it used; nil when there is none or it
// has been idle too long.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.byID[c.Value]
	if sess == nil {
		return nil
	}
	now := s.now()
	if now.Sub(sess.lastSeen) > s.idle {
		delete(s.byID, sess.id)
		return nil
	}
	sess.lastSeen = now
	return sess
}

// alive reports whether the session with id is still signed in, without marking it used.
func (s *sessions) alive(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.byID[id]
	return sess != nil && s.now().Sub(sess.lastSeen) <= s.idle
}

// end forgets the session with id.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

func (s *sessions) expireLocked() {
	now := s.now()
	for id, sess := range s.byID {
		if now.Sub(sess.lastSeen) > s.idle {
			delete(s.byID, id)
		}
	}
}

// validCSRF reports whether token is the session's CSRF token.
func (sess *session) validCSRF(token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(sess.csrf)) == 1
}

// sessionCookie is the cookie that carries id; maxAge < 0 removes it. It is Secure when the
// request came over TLS, so that plain-HTTP local use still works.
func sessionCookie(r *http.Request, id string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: cookieName, Value: id, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	}
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
