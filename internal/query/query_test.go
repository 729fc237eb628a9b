package query

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseListsAndStructs(t *testing.T) {
	body := "Action=CreateRole&Version=2010-05-08&RoleName=r&Tags.member.2.Key=b&Tags.member.2.Value=2" +
		"&Tags.member.1.Key=a&Tags.member.1.Value=1&PolicyArns.member.10.arn=z&PolicyArns.member.2.arn=y&Ids.member.2=two&Ids.member.1=one"
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	q, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if q.Action != "CreateRole" || q.Get("RoleName") != "r" {
		t.Fatalf("%+v", q)
	}
	if got := q.List("Ids"); len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Fatalf("List: %q", got)
	}
	tags := q.Structs("Tags")
	if len(tags) != 2 || tags[0]["Key"] != "a" || tags[1]["Value"] != "2" {
		t.Fatalf("Structs: %v", tags)
	}
	if arns := q.Structs("PolicyArns"); len(arns) != 2 || arns[0]["arn"] != "y" || arns[1]["arn"] != "z" {
		t.Fatalf("numeric member order: %v", arns)
	}
	if _, _, err := (&Request{Values: map[string][]string{"N": {"x"}}}).Int("N"); err == nil {
		t.Fatal("bad int accepted")
	}
}

func TestParseMissingAction(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Version=1"))
	if _, err := Parse(r); err == nil || !strings.Contains(err.Error(), "MissingAction") {
		t.Fatalf("got %v", err)
	}
}

func TestWriteResult(t *testing.T) {
	type user struct {
		UserName string
		Arn      string
	}
	w := httptest.NewRecorder()
	WriteResult(w, "GetUser", "https://iam.amazonaws.com/doc/2010-05-08/", "req-1", struct{ User user }{user{"bob", "arn:aws:iam::1:user/bob"}})
	want := `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>bob</UserName><Arn>arn:aws:iam::1:user/bob</Arn></User></GetUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetUserResponse>`
	if got := w.Body.String(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	w = httptest.NewRecorder()
	WriteResult(w, "DeleteUser", "ns", "r", nil)
	if got := w.Body.String(); got != `<DeleteUserResponse xmlns="ns"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>` {
		t.Fatalf("no result: %s", got)
	}
}
