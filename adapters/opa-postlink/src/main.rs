//! Post-link step of `pkg/opa/policy.wasm`.
//!
//! OPA hosts read the ABI version from two exported globals,
//! `opa_wasm_abi_version` and `opa_wasm_abi_minor_version`. A Rust
//! `#[no_mangle] static` is exported by wasm-ld as a global holding the static's
//! *address*; this tool rewrites each of the two globals to the `i32` stored at that
//! address in the module's data (so the values are written once, in the adapter's
//! source). Every other section is copied byte for byte.
//!
//! ```text
//! netpol-opa-postlink IN.wasm OUT.wasm   rewrite
//! netpol-opa-postlink --list IN.wasm     imports, exports, memory, custom sections, ABI globals
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ConstExpr, GlobalSection, Module, RawSection};
use wasmparser::{DataKind, ExternalKind, Operator, Parser, Payload, TypeRef};

/// The exported globals OPA hosts read.
const ABI_GLOBALS: [&str; 2] = ["opa_wasm_abi_version", "opa_wasm_abi_minor_version"];

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.as_slice() {
        [flag, input] if flag == "--list" => read(input).and_then(|wasm| list(&wasm)),
        [input, output] => read(input)
            .and_then(|wasm| rewrite(&wasm))
            .and_then(|out| std::fs::write(output, out).map_err(|e| format!("{output}: {e}"))),
        _ => Err(String::from(
            "usage: netpol-opa-postlink IN.wasm OUT.wasm | --list IN.wasm",
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("netpol-opa-postlink: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

/// What the rewrite needs to know about a module.
#[derive(Default)]
struct Facts {
    imported_globals: u32,
    /// Export name → global index, for exported globals.
    global_exports: BTreeMap<String, u32>,
    /// Init value (`i32.const`) of each defined global.
    global_inits: Vec<Option<i32>>,
    /// Active data segments: (offset, bytes).
    data: Vec<(u32, Vec<u8>)>,
}

impl Facts {
    fn of(wasm: &[u8]) -> Result<Facts> {
        let mut facts = Facts::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(|e| e.to_string())? {
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        if matches!(import.map_err(|e| e.to_string())?.ty, TypeRef::Global(_)) {
                            facts.imported_globals += 1;
                        }
                    }
                }
                Payload::GlobalSection(section) => {
                    for global in section {
                        let global = global.map_err(|e| e.to_string())?;
                        facts.global_inits.push(const_i32(&global.init_expr));
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.map_err(|e| e.to_string())?;
                        if export.kind == ExternalKind::Global {
                            facts
                                .global_exports
                                .insert(export.name.into(), export.index);
                        }
                    }
                }
                Payload::DataSection(section) => {
                    for data in section {
                        let data = data.map_err(|e| e.to_string())?;
                        if let DataKind::Active { offset_expr, .. } = data.kind {
                            if let Some(offset) = const_i32(&offset_expr) {
                                facts.data.push((offset as u32, data.data.to_vec()));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(facts)
    }

    /// The local index of the global exported as `name` and the `i32` stored at the
    /// address it holds.
    fn abi_value(&self, name: &str) -> Result<(usize, i32)> {
        let index = *self
            .global_exports
            .get(name)
            .ok_or_else(|| format!("no exported global `{name}`"))?;
        let local = index
            .checked_sub(self.imported_globals)
            .ok_or_else(|| format!("`{name}` is an imported global"))? as usize;
        let address =
            self.global_inits
                .get(local)
                .copied()
                .flatten()
                .ok_or_else(|| format!("`{name}` is not an i32 constant"))? as u32;
        Ok((
            local,
            self.load_i32(address)
                .ok_or_else(|| format!("`{name}`: no data at address {address}"))?,
        ))
    }

    /// The little-endian `i32` at `address` of the initial memory.
    fn load_i32(&self, address: u32) -> Option<i32> {
        self.data.iter().find_map(|(offset, bytes)| {
            let start = address.checked_sub(*offset)? as usize;
            let word: [u8; 4] = bytes.get(start..start + 4)?.try_into().ok()?;
            Some(i32::from_le_bytes(word))
        })
    }
}

/// The value of a constant expression that is one `i32.const`.
fn const_i32(expr: &wasmparser::ConstExpr<'_>) -> Option<i32> {
    let mut ops = expr.get_operators_reader();
    match (ops.read().ok()?, ops.read().ok()?) {
        (Operator::I32Const { value }, Operator::End) => Some(value),
        _ => None,
    }
}

/// The module with the ABI globals holding their values.
fn rewrite(wasm: &[u8]) -> Result<Vec<u8>> {
    let facts = Facts::of(wasm)?;
    let mut values = BTreeMap::new();
    for name in ABI_GLOBALS {
        let (local, value) = facts.abi_value(name)?;
        values.insert(local, value);
    }
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| e.to_string())?;
        if let Payload::GlobalSection(section) = &payload {
            module.section(&globals(section.clone(), &values)?);
        } else if let Some((id, range)) = payload.as_section() {
            let data = wasm.get(range).ok_or("section out of range")?;
            module.section(&RawSection { id, data });
        }
    }
    Ok(module.finish())
}

/// The global section with `values` (local index → value) as constant inits.
fn globals(
    section: wasmparser::GlobalSectionReader<'_>,
    values: &BTreeMap<usize, i32>,
) -> Result<GlobalSection> {
    let mut out = GlobalSection::new();
    for (local, global) in section.into_iter().enumerate() {
        let global = global.map_err(|e| e.to_string())?;
        let ty = RoundtripReencoder
            .global_type(global.ty)
            .map_err(|e| e.to_string())?;
        let init = match values.get(&local) {
            Some(value) => ConstExpr::i32_const(*value),
            None => ConstExpr::try_from(global.init_expr).map_err(|e| e.to_string())?,
        };
        out.global(ty, &init);
    }
    Ok(out)
}

/// Prints imports, exports, the memory import's limits, custom sections and the ABI
/// global values.
fn list(wasm: &[u8]) -> Result<()> {
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    println!("import {}.{}: {:?}", import.module, import.name, import.ty);
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|e| e.to_string())?;
                    println!("export {}: {:?}", export.name, export.kind);
                }
            }
            Payload::CustomSection(c) => println!("custom {} ({} bytes)", c.name(), c.data().len()),
            _ => {}
        }
    }
    let facts = Facts::of(wasm)?;
    for name in ABI_GLOBALS {
        if let Some(&index) = facts.global_exports.get(name) {
            let local = index.saturating_sub(facts.imported_globals) as usize;
            let init = facts.global_inits.get(local).copied().flatten();
            println!("global {name} = {init:?}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        DataSection, ExportKind, ExportSection, GlobalType, MemorySection, MemoryType, ValType,
    };

    /// A module like wasm-ld's output: two globals holding addresses 1024 and 1028,
    /// where the data holds 1 and 3.
    fn linked_module() -> Vec<u8> {
        let mut module = Module::new();
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        let mut globals = GlobalSection::new();
        let ty = GlobalType {
            val_type: ValType::I32,
            mutable: false,
            shared: false,
        };
        globals.global(ty, &ConstExpr::i32_const(1024));
        globals.global(ty, &ConstExpr::i32_const(1028));
        let mut exports = ExportSection::new();
        exports.export(ABI_GLOBALS[0], ExportKind::Global, 0);
        exports.export(ABI_GLOBALS[1], ExportKind::Global, 1);
        let mut data = DataSection::new();
        data.active(0, &ConstExpr::i32_const(1024), [1, 0, 0, 0, 3, 0, 0, 0]);
        module.section(&memories);
        module.section(&globals);
        module.section(&exports);
        module.section(&data);
        module.finish()
    }

    #[test]
    fn abi_globals_get_the_values_at_their_addresses() {
        let out = rewrite(&linked_module()).unwrap();
        let facts = Facts::of(&out).unwrap();
        assert_eq!(facts.global_inits, vec![Some(1), Some(3)]);
        assert_eq!(facts.data, Facts::of(&linked_module()).unwrap().data);
    }

    #[test]
    fn a_module_without_the_globals_is_refused() {
        let empty = Module::new().finish();
        assert!(rewrite(&empty)
            .unwrap_err()
            .contains("opa_wasm_abi_version"));
    }
}
