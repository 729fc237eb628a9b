package s3acl

import (
	"strings"
)

// PolicyXML is the GetBucketAcl / GetObjectAcl response body for a, as S3
// writes it: the XML declaration, then
//
//	<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
//	<Owner><ID>…</ID><DisplayName>…</DisplayName></Owner>
//	<AccessControlList><Grant>
//	<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>…</ID></Grantee>
//	<Permission>FULL_CONTROL</Permission></Grant>…</AccessControlList>
//	</AccessControlPolicy>
//
// on one line. DisplayName elements appear only when set; Group grantees
// carry a URI, email grantees an EmailAddress.
func PolicyXML(a ACL) string {
	var b strings.Builder
	b.Grow(256 + 240*len(a.Grants))
	b.WriteString(xmlHeader)
	b.WriteString(`<AccessControlPolicy xmlns="` + S3Namespace + `"><Owner><ID>`)
	esc(&b, a.Owner.ID)
	b.WriteString("</ID>")
	if a.Owner.DisplayName != "" {
		b.WriteString("<DisplayName>")
		esc(&b, a.Owner.DisplayName)
		b.WriteString("</DisplayName>")
	}
	b.WriteString("</Owner><AccessControlList>")
	for _, g := range a.Grants {
		writeGrant(&b, g)
	}
	b.WriteString("</AccessControlList></AccessControlPolicy>")
	return b.String()
}

func writeGrant(b *strings.Builder, g Grant) {
	b.WriteString(`<Grant><Grantee xmlns:xsi="` + xsiNamespace + `" xsi:type="`)
	esc(b, string(g.Grantee.Type))
	b.WriteString(`">`)
	switch g.Grantee.Type {
	case Group:
		b.WriteString("<URI>")
		esc(b, g.Grantee.URI)
		b.WriteString("</URI>")
	case ByEmail:
		b.WriteString("<EmailAddress>")
		esc(b, g.Grantee.Email)
		b.WriteString("</EmailAddress>")
	default:
		b.WriteString("<ID>")
		esc(b, g.Grantee.ID)
		b.WriteString("</ID>")
		if g.Grantee.DisplayName != "" {
			b.WriteString("<DisplayName>")
			esc(b, g.Grantee.DisplayName)
			b.WriteString("</DisplayName>")
		}
	}
	b.WriteString("</Grantee><Permission>")
	esc(b, string(g.Permission))
	b.WriteString("</Permission></Grant>")
}
