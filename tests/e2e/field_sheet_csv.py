#!/usr/bin/env python3
"""field_sheet_csv.py WORKBOOK OUT_CSV — the households sheet (the first) of a field
workbook saved as CSV, as a team would: reads the SpreadsheetML parts (shared
strings and numbers) with the standard library only."""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
ns={'m':'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z=zipfile.ZipFile(sys.argv[1])
ss=[]
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si',ns):
        ss.append(''.join(t.text or '' for t in si.iter('{%s}t'%ns['m'])))
rows=[]
for r in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}row'%ns['m']):
    vals={}
    for c in r.findall('m:c',ns):
        ref=c.get('r'); col=re.match(r'[A-Z]+',ref).group()
        ci=0
        for ch in col: ci=ci*26+ord(ch)-64
        v=c.find('m:v',ns)
        if v is None: continue
        vals[ci-1]=ss[int(v.text)] if c.get('t')=='s' else v.text
    if vals: rows.append([vals.get(i,'') for i in range(max(vals)+1)])
w=max(len(r) for r in rows)
csv.writer(open(sys.argv[2],'w',newline=''),lineterminator='\n').writerows([r+['']*(w-len(r)) for r in rows])
