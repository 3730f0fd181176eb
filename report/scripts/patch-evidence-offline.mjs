// Makes Evidence 40.1.8 (@evidence-dev/universal-sql 3.0.1, @duckdb/duckdb-wasm 1.32.0) work offline.
//
// Why: duckdb-wasm 1.32.0 (DuckDB v1.4.3) does not link the parquet extension. Evidence uses
// duckdb-wasm for (a) merging the per-batch parquet files in `evidence sources`
// (build-parquet.js: COPY ... read_parquet(...)), (b) SSR/prerender in `evidence build`
// (client-duckdb/node.js: CREATE VIEW ... read_parquet(...)) and (c) the browser
// (client-duckdb/browser.js, same view). Each of these autoloads `parquet`, i.e. fetches
// https://extensions.duckdb.org/v1.4.3/wasm_eh/parquet.duckdb_extension.wasm.
// In Node that fetch runs in a worker thread while the main thread blocks in Atomics.wait
// with no timeout -> `evidence sources` hangs forever at "Processing...".
//
// Fix: never ask duckdb-wasm to read or write parquet.
//  (a) sources: write the final .parquet with parquet-wasm (already used by Evidence) and a
//      sibling .arrow (Arrow IPC stream) file; no duckdb-wasm involved.
//  (d) `evidence build` moves each .parquet into a content-hash folder; move the .arrow with it.
//  (b)+(c) load each table from the .arrow file with insertArrowFromIPCStream (built into
//      duckdb-wasm, no extension) instead of a view over read_parquet.
//
// (e) A query with no rows is written as an empty table (Evidence writes no file for it, so any
//     page reading it failed).
//
// Idempotent; exits non-zero if an anchor is not found (e.g. after an Evidence upgrade).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARK = '/* evidence-offline-patch v2 */';
const require = createRequire(import.meta.url);
const evidenceDir = path.dirname(require.resolve('@evidence-dev/evidence/package.json'));
const usqlRequire = createRequire(path.join(evidenceDir, 'package.json'));
// "." export is ./src/index.js; the package has no ./package.json export
const usqlDir = path.resolve(path.dirname(usqlRequire.resolve('@evidence-dev/universal-sql')), '..');

function patchFile(rel, edits, baseDir = usqlDir) {
	const file = path.join(baseDir, rel);
	let src = readFileSync(file, 'utf8');
	if (src.includes(MARK)) {
		console.log(`[evidence-offline-patch] already patched: ${rel}`);
		return;
	}
	for (const [desc, fn] of edits) {
		const out = fn(src);
		if (out === null || out === src) {
			console.error(`[evidence-offline-patch] anchor not found in ${rel}: ${desc}`);
			process.exit(1);
		}
		src = out;
	}
	// keep a shebang line first
	const nl = src.startsWith('#!') ? src.indexOf('\n') + 1 : 0;
	writeFileSync(file, `${src.slice(0, nl)}${MARK}\n${src.slice(nl)}`);
	console.log(`[evidence-offline-patch] patched: ${rel}`);
}

const replaceOnce = (needle, replacement) => (src) => {
	const i = src.indexOf(needle);
	if (i < 0 || src.indexOf(needle, i + 1) >= 0) return null;
	return src.slice(0, i) + replacement + src.slice(i + needle.length);
};

const replaceBetween = (start, end, replacement) => (src) => {
	const i = src.indexOf(start);
	const j = i < 0 ? -1 : src.indexOf(end, i);
	if (i < 0 || j < 0) return null;
	return src.slice(0, i) + replacement + src.slice(j + end.length);
};

// (a) sources: no duckdb-wasm merge step
patchFile('src/build-parquet.js', [
	['tmpFilenames decl', replaceOnce('\tlet tmpFilenames = [];\n', '\tlet tmpFilenames = [];\n\tconst arrowTables = [];\n')],
	[
		'keep arrow batch',
		replaceOnce(
			"\t\tconst IPC = tableToIPC(table, 'stream');\n",
			"\t\tconst IPC = tableToIPC(table, 'stream');\n\t\tarrowTables.push(table);\n"
		)
	],
	[
		'merge via duckdb-wasm',
		replaceBetween(
			'\tawait initDB();\n',
			'\tawait query(copy);\n',
			[
				'\tconst outputFilepath = path.join(outDir, outputFilename);',
				'\tawait fs.mkdir(path.dirname(outputFilepath), { recursive: true });',
				'\tconst combined = arrowTables.length === 1 ? arrowTables[0] : arrowTables[0].concat(...arrowTables.slice(1));',
				"\tconst combinedIPC = tableToIPC(combined, 'stream');",
				'\tif (tmpFilenames.length === 1) {',
				'\t\tawait fs.copyFile(tmpFilenames[0], outputFilepath);',
				'\t} else {',
				'\t\tconst props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build();',
				'\t\tawait fs.writeFile(outputFilepath, writeParquet(Table.fromIPCStream(combinedIPC), props));',
				'\t}',
				"\tawait fs.writeFile(outputFilepath.replace(/\\.parquet$/, '.arrow'), combinedIPC);",
				"\tawait fs.chmod(outputFilepath.replace(/\\.parquet$/, '.arrow'), 0o644);",
				''
			].join('\n')
		)
	],
	['emptyDbFs at end', replaceOnce("\tawait emptyDbFs('*');\n\n\tfn_done();", '\tfn_done();')],
	// a query with no rows still gets its (empty) table, so pages can test `.length` instead of
	// failing on a missing file
	['no file for zero rows', replaceOnce('\tif (!tmpFilenames.length) return 0;\n', '\tif (!tmpFilenames.length) await flush([]);\n')]
]);

// (b) SSR / prerender in Node
patchFile('src/client-duckdb/node.js', [
	["import fs", replaceOnce("import { createRequire } from 'module';\n", "import { createRequire } from 'module';\nimport { readFileSync } from 'fs';\n")],
	[
		'view over read_parquet',
		replaceBetween(
			'\t\t\tdb.registerFileURL(\n\t\t\t\tfile_name,',
			"(SELECT * FROM read_parquet('${file_name}'));`\n\t\t\t);\n",
			[
				"\t\t\tconst arrowFile = url.replace(/\\.parquet$/, '.arrow').split(pathDelimiterRegex).join(path.sep);",
				'\t\t\tconnection.query(`DROP TABLE IF EXISTS "${source}"."${table}";`);',
				'\t\t\tconnection.insertArrowFromIPCStream(new Uint8Array(readFileSync(arrowFile)), {',
				'\t\t\t\tschema: source,',
				'\t\t\t\tname: table,',
				'\t\t\t\tcreate: true',
				'\t\t\t});',
				''
			].join('\n')
		)
	]
]);

// (c) browser
patchFile('src/client-duckdb/browser.js', [
	[
		'view over read_parquet',
		replaceBetween(
			'\t\t\t\tawait db.registerFileURL(file_name, addBasePath(path), DuckDBDataProtocol.HTTP, false);\n',
			"(SELECT * FROM read_parquet('${file_name}'));`\n\t\t\t\t);\n",
			[
				"\t\t\t\tconst arrowUrl = addBasePath(path.replace(/\\.parquet$/, '.arrow'));",
				'\t\t\t\tconst arrowRes = await fetch(arrowUrl);',
				'\t\t\t\tif (!arrowRes.ok) throw new Error(`Could not fetch ${arrowUrl}: ${arrowRes.status}`);',
				'\t\t\t\tconst arrowBuf = new Uint8Array(await arrowRes.arrayBuffer());',
				'\t\t\t\tawait connection.query(`DROP TABLE IF EXISTS "${source}"."${table}";`);',
				'\t\t\t\tawait connection.insertArrowFromIPCStream(arrowBuf, { schema: source, name: table, create: true });',
				''
			].join('\n')
		)
	]
]);

// (d) evidence build: keep the .arrow next to the hashed .parquet
patchFile(
	'cli.js',
	[
		[
			'hash move',
			replaceOnce(
				'\t\t\t\t\t\tfs.moveSync(filePath, newFilePath);\n',
				[
					'\t\t\t\t\t\tfs.moveSync(filePath, newFilePath);',
					"\t\t\t\t\t\tconst arrowPath = filePath.replace(/\\.parquet$/, '.arrow');",
					'\t\t\t\t\t\tif (fs.existsSync(arrowPath))',
					"\t\t\t\t\t\t\tfs.moveSync(arrowPath, newFilePath.replace(/\\.parquet$/, '.arrow'));",
					''
				].join('\n')
			)
		]
	],
	evidenceDir
);
