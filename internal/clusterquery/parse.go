package clusterquery

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of parentheses and negations, so that no expression can exhaust
// the stack.
const maxDepth = 64

var attributeName = regexp.MustCompile(`^[a-zA-Z0-9_./\\-]{1,128}$`)

// Parse checks expression and returns its query. The error says what is wrong in words fit
// for a client; an empty expression is an error.
func Parse(expression string) (Query, error) {
	toks, err := lex(expression)
	if err != nil {
		return Query{}, err
	}
	if len(toks) == 0 {
		return Query{}, errors.New("the expression is empty")
	}
	p := &parser{toks: toks}
	root, err := p.or(0)
	if err != nil {
		return Query{}, err
	}
	if t, ok := p.peek(); ok {
		return Query{}, fmt.Errorf("unexpected %q at position %d", t.text, t.pos)
	}
	return Query{root: root, src: expression}, nil
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() (token, bool) {
	if p.i >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.i], true
}

func (p *parser) next() (token, bool) {
	t, ok := p.peek()
	if ok {
		p.i++
	}
	return t, ok
}

// keyword reports whether the next token is one of words (unquoted, any case), and takes it.
func (p *parser) keyword(words ...string) bool {
	t, ok := p.peek()
	if !ok || t.quoted {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(t.text, w) {
			p.i++
			return true
		}
	}
	return false
}

func (p *parser) or(depth int) (node, error) {
	left, err := p.and(depth)
	for err == nil && p.keyword("or", "||") {
		var right node
		if right, err = p.and(depth); err == nil {
			left = or{left, right}
		}
	}
	return left, err
}

func (p *parser) and(depth int) (node, error) {
	left, err := p.unary(depth)
	for err == nil && p.keyword("and", "&&") {
		var right node
		if right, err = p.unary(depth); err == nil {
			left = and{left, right}
		}
	}
	return left, err
}

func (p *parser) unary(depth int) (node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("the expression nests deeper than %d levels", maxDepth)
	}
	t, ok := p.peek()
	switch {
	case !ok:
		return nil, errors.New("the expression ends where a condition was expected")
	case t.quoted:
		return nil, fmt.Errorf("expected a subject at position %d, found the quoted value %q", t.pos, t.text)
	case t.text == "(":
		p.i++
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c, _ := p.next(); c.text != ")" || c.quoted {
			return nil, fmt.Errorf("missing ) to close the ( at position %d", t.pos)
		}
		return n, nil
	case t.text == "!" || strings.EqualFold(t.text, "not"):
		p.i++
		n, err := p.unary(depth + 1)
		return not{n}, err
	case len(t.text) > 1 && t.text[0] == '!':
		// "!attribute:x exists": the negation written against its subject.
		p.toks[p.i].text, p.toks[p.i].pos = t.text[1:], t.pos+1
		n, err := p.unary(depth + 1)
		return not{n}, err
	}
	return p.comparison()
}

func (p *parser) comparison() (node, error) {
	t, _ := p.next()
	subject, err := parseSubject(t)
	if err != nil {
		return nil, err
	}
	opTok, ok := p.next()
	op := operators[strings.ToLower(opTok.text)]
	if !ok || opTok.quoted || op == 0 {
		return nil, fmt.Errorf("expected an operator after %s", subject)
	}
	if !allowed(subject, op) {
		return nil, fmt.Errorf("%s does not take the operator %s", subject, opTok.text)
	}
	c := comparison{subject: subject, op: op}
	switch {
	case op.takesNoArgument():
	case op.takesList():
		c.args, err = p.list(subject)
	default:
		var v string
		v, err = p.value(subject)
		c.args = []string{v}
	}
	if err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func parseSubject(t token) (Subject, error) {
	if t.text == "" || strings.IndexByte("()[],", t.text[0]) >= 0 {
		return Subject{}, fmt.Errorf("expected a subject at position %d, found %q", t.pos, t.text)
	}
	if name, ok := strings.CutPrefix(t.text, "attribute:"); ok {
		if !attributeName.MatchString(name) {
			return Subject{}, fmt.Errorf("%q is not a valid attribute name", name)
		}
		return Subject{Field: Attribute, Name: name}, nil
	}
	switch f := Field(t.text); f {
	case AgentConnected, AgentVersion, EC2InstanceID, RegisteredAt, RunningTasksCount, TaskGroup:
		return Subject{Field: f}, nil
	}
	return Subject{}, fmt.Errorf("unknown subject %q: use attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group", t.text)
}

// value reads one argument: a word or a quoted string.
func (p *parser) value(s Subject) (string, error) {
	t, ok := p.next()
	if !ok || (!t.quoted && len(t.text) == 1 && strings.IndexByte("()[],", t.text[0]) >= 0) {
		return "", fmt.Errorf("expected a value after the operator of %s", s)
	}
	return t.text, nil
}

// list reads "[v1, v2, ...]".
func (p *parser) list(s Subject) ([]string, error) {
	if t, ok := p.next(); !ok || t.text != "[" || t.quoted {
		return nil, fmt.Errorf("expected a list such as [a, b] after the operator of %s", s)
	}
	var out []string
	for {
		v, err := p.value(s)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		t, ok := p.next()
		switch {
		case ok && !t.quoted && t.text == "]":
			return out, nil
		case !ok || t.quoted || t.text != ",":
			return nil, fmt.Errorf("expected , or ] in the list of %s", s)
		}
	}
}

// check validates the arguments against the subject and compiles patterns.
func (c *comparison) check() error {
	for _, a := range c.args {
		switch c.subject.Field {
		case RegisteredAt:
			if _, ok := parseDate(a); !ok {
				return fmt.Errorf("registeredAt takes a date such as 2018-06-18 or 2018-06-18T22:28:28Z, not %q", a)
			}
		case RunningTasksCount:
			if n, err := strconv.Atoi(a); err != nil || n < 0 {
				return fmt.Errorf("runningTasksCount takes a whole number, not %q", a)
			}
		case AgentConnected:
			if !strings.EqualFold(a, "true") && !strings.EqualFold(a, "false") && c.op != opMatches && c.op != opNotMatches {
				return fmt.Errorf("agentConnected takes true or false, not %q", a)
			}
		}
	}
	if c.op == opMatches || c.op == opNotMatches {
		re, err := regexp.Compile("^(?:" + c.args[0] + ")$")
		if err != nil {
			return fmt.Errorf("%q is not a valid pattern", c.args[0])
		}
		c.pattern = re
	}
	return nil
}
