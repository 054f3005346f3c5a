package awswire

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRestXML_errorShapeS3(t *testing.T) {
	h := WithRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amz-id-2", "host/id+=")
		e := Errorf(http.StatusBadRequest, "InvalidArgument", "Unable to validate the following destination configurations").
			WithField("ArgumentValue2", "v2").WithField("ArgumentName1", "arn:a, null").
			WithField("ArgumentValue1", "Not authorized <x>").WithField("ArgumentName2", "n2")
		WriteRestXMLError(w, r, e)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/b?notification", nil))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	reqID := rec.Header().Get("X-Amz-Request-Id")
	want := XMLDeclaration + "<Error><Code>InvalidArgument</Code><Message>Unable to validate the following destination configurations</Message>" +
		"<ArgumentName1>arn:a, null</ArgumentName1><ArgumentValue1>Not authorized &lt;x&gt;</ArgumentValue1>" +
		"<ArgumentName2>n2</ArgumentName2><ArgumentValue2>v2</ArgumentValue2>" +
		"<RequestId>" + reqID + "</RequestId><HostId>host/id+=</HostId></Error>"
	if got := rec.Body.String(); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml" {
		t.Fatalf("content type %q", ct)
	}
}

func TestRestXML_errorParsesLikeTheSDK(t *testing.T) {
	// The SDK's s3shared.GetUnwrappedErrorResponseComponents reads exactly these members.
	rec := httptest.NewRecorder()
	WriteRestXMLError(rec, httptest.NewRequest(http.MethodGet, "/b/k", nil),
		Errorf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").WithField("Key", "k"))
	var got struct {
		Code, Message, RequestID string
		Key                      string
	}
	got.RequestID = "unset"
	if err := xml.Unmarshal(rec.Body.Bytes(), &struct {
		XMLName   xml.Name `xml:"Error"`
		Code      *string
		Message   *string
		Key       *string
		RequestID *string `xml:"RequestId"`
	}{Code: &got.Code, Message: &got.Message, Key: &got.Key, RequestID: &got.RequestID}); err != nil {
		t.Fatal(err)
	}
	if got.Code != "NoSuchKey" || got.Message != "The specified key does not exist." || got.Key != "k" || got.RequestID == "unset" {
		t.Fatalf("%+v", got)
	}
}

func TestRestXML_headErrorHasNoBody(t *testing.T) {
	rec := httptest.NewRecorder()
	e := Errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	e.Headers = map[string]string{"x-amz-bucket-region": "us-east-1"}
	WriteRestXMLError(rec, httptest.NewRequest(http.MethodHead, "/b", nil), e)
	if rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
		t.Fatalf("status %d body %q", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("X-Amz-Bucket-Region") != "us-east-1" {
		t.Fatalf("headers %v", rec.Header())
	}
}

func TestRestXML_wrappedError(t *testing.T) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/2020-05-31/distribution/x", nil)
	WriteRestXMLErrorWrapped(rec, r, "http://cloudfront.amazonaws.com/doc/2020-05-31/", Errorf(404, "NoSuchDistribution", "The specified distribution does not exist."))
	body := rec.Body.String()
	for _, want := range []string{`<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">`, "<Error><Type>Sender</Type><Code>NoSuchDistribution</Code>", "</Error><RequestId>"} {
		if !strings.Contains(body, want) {
			t.Fatalf("%s lacks %s", body, want)
		}
	}
}

func TestRestXML_writeAndDecode(t *testing.T) {
	type doc struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	}
	rec := httptest.NewRecorder()
	WriteXML(rec, http.StatusOK, doc{XMLName: xml.Name{Space: "http://s3.amazonaws.com/doc/2006-03-01/", Local: "LocationConstraint"}, Value: "eu-west-1"})
	want := XMLDeclaration + `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`
	if rec.Body.String() != want {
		t.Fatalf("got %s", rec.Body.String())
	}
	var back doc
	if err := DecodeXML(rec.Body.Bytes(), &back); err != nil || back.Value != "eu-west-1" {
		t.Fatalf("%v %+v", err, back)
	}
	for _, bad := range []string{"", "   ", "<a>", "<a></a><b></b>", "<a></a>text", "<a></b>"} {
		var v struct{}
		if err := DecodeXML([]byte(bad), &v); err == nil {
			t.Errorf("DecodeXML(%q) accepted", bad)
		}
	}
	if err := DecodeXML([]byte("<a></a>\n<!-- c -->\n"), &struct{}{}); err != nil {
		t.Errorf("trailing comment refused: %v", err)
	}
}

func TestRestXML_time(t *testing.T) {
	tm := time.Date(2009, 10, 12, 17, 50, 30, 123456789, time.FixedZone("x", 3600))
	if got := XMLTime(tm); got != "2009-10-12T16:50:30.123Z" {
		t.Fatal(got)
	}
}

func TestRestXML_fieldOrder(t *testing.T) {
	got := sortedFieldNames(map[string]any{"ArgumentValue10": 1, "ArgumentName10": 1, "Key": 1, "ArgumentName2": 1, "BucketName": 1, "ArgumentValue2": 1})
	want := "BucketName Key ArgumentName2 ArgumentValue2 ArgumentName10 ArgumentValue10"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v", got)
	}
}

func TestRestXML_readXML(t *testing.T) {
	var v struct {
		XMLName xml.Name `xml:"Delete"`
		Keys    []string `xml:"Object>Key"`
	}
	r := httptest.NewRequest(http.MethodPost, "/b?delete", strings.NewReader(`<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>`))
	if err := ReadXML(r, 1<<10, &v); err != nil || strings.Join(v.Keys, ",") != "a,b" {
		t.Fatalf("%v %+v", err, v)
	}
	r = httptest.NewRequest(http.MethodPost, "/b?delete", strings.NewReader(`<Delete>`+strings.Repeat(" ", 100)+`</Delete>`))
	if err := ReadXML(r, 50, &v); err != ErrBodyTooLarge {
		t.Fatalf("limit: %v", err)
	}
	r = httptest.NewRequest(http.MethodPost, "/b?delete", strings.NewReader(`<Other/>`))
	if err := ReadXML(r, 1<<10, &v); err == nil {
		t.Fatal("wrong document element accepted")
	}
}
