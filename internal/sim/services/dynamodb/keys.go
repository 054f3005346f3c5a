package dynamodb

import (
	"hash/fnv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// keyAttr is one attribute of a table's primary key.
type keyAttr struct {
	Name string
	Type kind // S, N or B
}

// schema is a table's primary key: a partition (HASH) key and an optional sort (RANGE) key.
type schema struct {
	Hash  keyAttr
	Range *keyAttr
}

func (t *tableRec) schema() schema {
	var sc schema
	for _, k := range t.KeySchema {
		a := keyAttr{Name: k.AttributeName, Type: t.attrType(k.AttributeName)}
		if k.KeyType == "HASH" {
			sc.Hash = a
		} else {
			a := a
			sc.Range = &a
		}
	}
	return sc
}

func (t *tableRec) attrType(name string) kind {
	for _, d := range t.AttributeDefinitions {
		if d.AttributeName == name {
			k, _ := kindByName(d.AttributeType)
			return k
		}
	}
	return kindInvalid
}

func (sc schema) attrs() []keyAttr {
	if sc.Range == nil {
		return []keyAttr{sc.Hash}
	}
	return []keyAttr{sc.Hash, *sc.Range}
}

func (sc schema) isKey(name string) bool {
	return name == sc.Hash.Name || (sc.Range != nil && name == sc.Range.Name)
}

// keyOf returns the key attributes of an item.
func (sc schema) keyOf(it Item) Item {
	k := Item{sc.Hash.Name: it[sc.Hash.Name]}
	if sc.Range != nil {
		k[sc.Range.Name] = it[sc.Range.Name]
	}
	return k
}

// AWS's key limits: a partition key value of at most 2048 bytes, a sort key of at most 1024
// (ServiceQuotas.html, "Partition key length" and "Sort key length").
const (
	maxHashKeyBytes  = 2048
	maxRangeKeyBytes = 1024
)

// checkKey validates a request's Key (GetItem, DeleteItem, UpdateItem, BatchGetItem, a
// DeleteRequest): exactly the key attributes, with the schema's types. Texts as dynalite
// recorded them against DynamoDB.
func (sc schema) checkKey(key Item) *awswire.Error {
	if len(key) != len(sc.attrs()) {
		return errValidation("The provided key element does not match the schema")
	}
	for i, a := range sc.attrs() {
		v, ok := key[a.Name]
		if !ok || v.k != a.Type {
			return errValidation("The provided key element does not match the schema")
		}
		if e := checkKeyValue(a, v, i == 0, "One or more parameter values were invalid: "); e != nil {
			return e
		}
	}
	return nil
}

// checkItemKey validates the key attributes of an item being written (PutItem, a PutRequest).
func (sc schema) checkItemKey(it Item) *awswire.Error {
	for i, a := range sc.attrs() {
		v, ok := it[a.Name]
		if !ok {
			return errValidation("One or more parameter values were invalid: Missing the key %s in the item", a.Name)
		}
		if v.k != a.Type {
			return errValidation("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", a.Name, a.Type, v.k)
		}
		if e := checkKeyValue(a, v, i == 0, "One or more parameter values are not valid. "); e != nil {
			return e
		}
	}
	return nil
}

func checkKeyValue(a keyAttr, v Value, hash bool, emptyPrefix string) *awswire.Error {
	n := 0
	switch a.Type {
	case kindS:
		n = len(v.s)
		if n == 0 {
			return errValidation("%sThe AttributeValue for a key attribute cannot contain an empty string value. Key: %s", emptyPrefix, a.Name)
		}
	case kindB:
		n = len(v.b)
		if n == 0 {
			return errValidation("%sThe AttributeValue for a key attribute cannot contain an empty binary value. Key: %s", emptyPrefix, a.Name)
		}
	}
	if hash && n > maxHashKeyBytes {
		return errValidation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of%d bytes", maxHashKeyBytes)
	}
	if !hash && n > maxRangeKeyBytes {
		return errValidation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of %d bytes", maxRangeKeyBytes)
	}
	return nil
}

// The store key of an item is the order-preserving encoding of its partition key followed by that
// of its sort key, so one partition's items are contiguous and sorted by sort key, as Query
// returns them. Strings and binaries escape 0x00 as 0x00 0xFF and end with 0x00 0x01; numbers use
// appendNumberKey. Both encodings are prefix-free.

func appendKeyValue(buf []byte, v Value) []byte {
	switch v.k {
	case kindN:
		return appendNumberKey(buf, v.s)
	case kindS:
		buf = appendEscaped(buf, []byte(v.s))
	case kindB:
		buf = appendEscaped(buf, v.b)
	}
	return append(buf, 0x00, 0x01)
}

func appendEscaped(buf, b []byte) []byte {
	for _, c := range b {
		buf = append(buf, c)
		if c == 0 {
			buf = append(buf, 0xFF)
		}
	}
	return buf
}

// storeKey is the store key of the item (or key) it.
func (sc schema) storeKey(it Item) string {
	buf := appendKeyValue(nil, it[sc.Hash.Name])
	if sc.Range != nil {
		buf = appendKeyValue(buf, it[sc.Range.Name])
	}
	return string(buf)
}

// partitionPrefix is the store-key prefix of every item of a partition.
func partitionPrefix(hash Value) string {
	return string(appendKeyValue(nil, hash))
}

// segmentOf is the Scan segment of an item: a hash of its partition key, so a partition's items
// fall in one segment as on AWS.
func segmentOf(sc schema, it Item, total int) int {
	h := fnv.New32a()
	h.Write([]byte(partitionPrefix(it[sc.Hash.Name])))
	return int(h.Sum32() % uint32(total))
}
