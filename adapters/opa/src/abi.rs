//! The OPA WebAssembly ABI 1.3 surface: every export, the bump allocator that is the
//! ABI's heap, the panic hook, and the custom section for Kubewarden. This is the
//! only module with `unsafe`: raw addresses come in from the host, and each use is
//! bounds- and tag-checked first. The logic lives in [`crate::values`].
#![allow(unsafe_code)]

use alloc::boxed::Box;
use alloc::string::String;
use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use netpol::admission::Entrypoint;
use serde_json::Value;

use crate::values::{self, Format};

/// Bytes in a WebAssembly page.
const PAGE: usize = 65_536;

/// ABI major version, exported as a global by the post-link step (wasm-ld exports a
/// static's address; `netpol-opa-postlink` rewrites the global to this value).
#[no_mangle]
#[allow(non_upper_case_globals)]
pub static opa_wasm_abi_version: i32 = 1;

/// ABI minor version (3: `opa_eval` and the heap-stash functions).
#[no_mangle]
#[allow(non_upper_case_globals)]
pub static opa_wasm_abi_minor_version: i32 = 3;

/// The Kubewarden metadata (`executionMode: gatekeeper`), read from the custom
/// section `io.kubewarden.metadata`.
const METADATA: &[u8] = include_bytes!("../metadata.json");

#[link_section = "io.kubewarden.metadata"]
#[used]
static KUBEWARDEN_METADATA: [u8; METADATA.len()] = *include_bytes!("../metadata.json");

extern "C" {
    /// End of static data: where the heap starts (defined by the linker).
    static __heap_base: u8;
}

#[link(wasm_import_module = "env")]
extern "C" {
    /// Reports a fatal error (a NUL-terminated message) to the host.
    fn opa_abort(message: *const u8);
}

// ---- the heap -------------------------------------------------------------------

/// The ABI heap pointer: the next free byte (0 until first used: `__heap_base`).
static HEAP_PTR: AtomicUsize = AtomicUsize::new(0);

fn heap_base() -> usize {
    // Only the address of the linker symbol is taken; it is never read.
    core::ptr::addr_of!(__heap_base) as usize
}

fn heap_ptr() -> usize {
    match HEAP_PTR.load(Ordering::Relaxed) {
        0 => heap_base(),
        ptr => ptr,
    }
}

fn set_heap_ptr(ptr: usize) {
    HEAP_PTR.store(ptr.max(heap_base()), Ordering::Relaxed);
}

/// Bytes of linear memory.
fn memory_bytes() -> usize {
    wasm32::memory_size(0).saturating_mul(PAGE)
}

/// Grows memory so that `end` bytes exist; false when the host refuses.
fn reserve(end: usize) -> bool {
    let have = memory_bytes();
    if end <= have {
        return true;
    }
    wasm32::memory_grow(0, (end - have).div_ceil(PAGE)) != usize::MAX
}

/// Reports exhausted memory to the host through `opa_abort`, then traps (Rust's own
/// allocation-failure path would trap without a word).
fn out_of_memory() -> ! {
    // SAFETY: a static NUL-terminated byte string; the host reads it.
    unsafe { opa_abort(c"netpol: out of memory".as_ptr().cast()) };
    wasm32::unreachable()
}

/// Takes `size` bytes aligned to `align` (a power of two) from the heap.
fn bump(size: usize, align: usize) -> Option<usize> {
    let start = heap_ptr().checked_add(align - 1)? & !(align - 1);
    let end = start.checked_add(size)?;
    if !reserve(end) {
        return None;
    }
    set_heap_ptr(end);
    Some(start)
}

/// The global allocator is the ABI heap: a bump allocator whose pointer is
/// `opa_heap_ptr_get`. The host frees by moving the pointer back between
/// evaluations; the last block is also returned when dropped or grown in place.
struct Heap;

// SAFETY: `alloc` returns fresh, aligned, in-bounds memory (or reports exhaustion
// and traps); blocks never overlap because the pointer only moves back over the
// block just freed.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(layout.size(), layout.align()).map_or_else(|| out_of_memory(), |a| a as *mut u8)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if (ptr as usize).checked_add(layout.size()) == Some(heap_ptr()) {
            set_heap_ptr(ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let start = ptr as usize;
        if start.checked_add(layout.size()) == Some(heap_ptr()) {
            return match start.checked_add(new_size) {
                Some(end) if reserve(end) => {
                    set_heap_ptr(end);
                    ptr
                }
                _ => out_of_memory(),
            };
        }
        let Some(fresh) = bump(new_size, layout.align()) else {
            out_of_memory();
        };
        let fresh = fresh as *mut u8;
        // SAFETY: both blocks are live and distinct (the fresh one lies past the old
        // one's end); the copy length fits both.
        unsafe { core::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size)) };
        fresh
    }
}

#[global_allocator]
static ALLOCATOR: Heap = Heap;

// ---- host addresses -------------------------------------------------------------

/// A host-visible object: a tag, then the item. Values and evaluation contexts are
/// stored this way and handed out by address.
#[repr(C)]
struct Slot<T> {
    tag: u32,
    item: T,
}

/// Types stored in slots, each with its own tag.
trait Tagged: 'static {
    const TAG: u32;
}

impl Tagged for Value {
    const TAG: u32 = 0x6e70_7631; // "npv1"
}

/// An evaluation context (`opa_eval_ctx_new`): value addresses and the entrypoint.
#[derive(Default)]
struct EvalCtx {
    input: i32,
    entrypoint: i32,
    result: i32,
}

impl Tagged for EvalCtx {
    const TAG: u32 = 0x6e70_6331; // "npc1"
}

/// Stores `item` on the heap and returns its address (allocation failure traps, so
/// the address is never 0).
fn store<T: Tagged>(item: T) -> i32 {
    let slot: &'static mut Slot<T> = Box::leak(Box::new(Slot { tag: T::TAG, item }));
    address(slot as *const Slot<T> as usize)
}

/// A wasm32 address as the ABI's `i32`.
fn address(ptr: usize) -> i32 {
    ptr as u32 as i32
}

/// The item stored at `addr` by [`store`], if `addr` holds one.
fn slot<T: Tagged>(addr: i32) -> Option<&'static mut T> {
    let start = addr as u32 as usize;
    let end = start.checked_add(core::mem::size_of::<Slot<T>>())?;
    let aligned = start % core::mem::align_of::<Slot<T>>() == 0;
    if start < heap_base() || end > heap_ptr() || !aligned {
        return None;
    }
    // SAFETY: `start..end` is inside the heap (initialised linear memory) and aligned
    // for `Slot<T>`; the tag is read as plain bytes first.
    let tag = unsafe { core::ptr::read(start as *const u32) };
    if tag != T::TAG {
        return None;
    }
    // SAFETY: the tag says `store::<T>` wrote a `Slot<T>` here, leaked, never freed
    // while the host holds the address. Callers use one such reference at a time.
    Some(unsafe { &mut (*(start as *mut Slot<T>)).item })
}

/// The bytes `addr..addr + len` of memory (empty when out of bounds).
fn bytes(addr: i32, len: i32) -> &'static [u8] {
    let start = addr as u32 as usize;
    let len = len as u32 as usize;
    match start.checked_add(len) {
        Some(end) if start != 0 && end <= memory_bytes() => {
            // SAFETY: a non-null, in-bounds range of linear memory, which is always
            // initialised; the host wrote it before the call and nothing here writes
            // to it (the heap pointer is past it).
            unsafe { core::slice::from_raw_parts(start as *const u8, len) }
        }
        _ => &[],
    }
}

/// `text` as a NUL-terminated string on the heap; its address.
fn c_string(text: String) -> i32 {
    let mut bytes = text.into_bytes();
    bytes.push(0);
    address(bytes.leak().as_ptr() as usize)
}

// ---- exports --------------------------------------------------------------------

/// `opa_malloc(size) -> addr`.
#[no_mangle]
pub extern "C" fn opa_malloc(size: i32) -> i32 {
    bump(size as u32 as usize, 8).map_or(0, address)
}

/// `opa_free(addr)`: blocks are reclaimed when the host resets the heap pointer.
#[no_mangle]
pub extern "C" fn opa_free(_addr: i32) {}

/// `opa_heap_ptr_get() -> addr`.
#[no_mangle]
pub extern "C" fn opa_heap_ptr_get() -> i32 {
    address(heap_ptr())
}

/// `opa_heap_ptr_set(addr)`: everything above `addr` is free again.
#[no_mangle]
pub extern "C" fn opa_heap_ptr_set(addr: i32) {
    set_heap_ptr(addr as u32 as usize);
}

/// `opa_heap_blocks_stash()`: a bump heap has no free blocks to stash.
#[no_mangle]
pub extern "C" fn opa_heap_blocks_stash() {}

/// `opa_heap_blocks_restore()`: see [`opa_heap_blocks_stash`].
#[no_mangle]
pub extern "C" fn opa_heap_blocks_restore() {}

/// `opa_heap_stash_clear()`: see [`opa_heap_blocks_stash`].
#[no_mangle]
pub extern "C" fn opa_heap_stash_clear() {}

/// `opa_json_parse(addr, len) -> value` (0 when the bytes are not JSON).
#[no_mangle]
pub extern "C" fn opa_json_parse(addr: i32, len: i32) -> i32 {
    install_panic_hook();
    values::parse(bytes(addr, len)).map_or(0, store)
}

/// `opa_value_parse(addr, len) -> value`: Rego value syntax, its JSON subset.
#[no_mangle]
pub extern "C" fn opa_value_parse(addr: i32, len: i32) -> i32 {
    opa_json_parse(addr, len)
}

/// `opa_json_dump(value) -> addr` of a NUL-terminated JSON text.
#[no_mangle]
pub extern "C" fn opa_json_dump(value: i32) -> i32 {
    let text = slot::<Value>(value).map_or_else(|| String::from("null"), |v| values::dump(v));
    c_string(text)
}

/// `opa_value_dump(value) -> addr`: Rego value syntax (the same text for JSON values).
#[no_mangle]
pub extern "C" fn opa_value_dump(value: i32) -> i32 {
    opa_json_dump(value)
}

/// `opa_value_add_path(base, path, value) -> opa_errc`.
#[no_mangle]
pub extern "C" fn opa_value_add_path(base: i32, path: i32, value: i32) -> i32 {
    let (Some(path), Some(value)) = (slot::<Value>(path).cloned(), slot::<Value>(value).cloned())
    else {
        return values::OPA_ERR_INVALID_TYPE;
    };
    match slot::<Value>(base) {
        Some(base) => values::add_path(base, &path, value),
        None => values::OPA_ERR_INVALID_TYPE,
    }
}

/// `opa_value_remove_path(base, path) -> opa_errc`.
#[no_mangle]
pub extern "C" fn opa_value_remove_path(base: i32, path: i32) -> i32 {
    let Some(path) = slot::<Value>(path).cloned() else {
        return values::OPA_ERR_INVALID_TYPE;
    };
    match slot::<Value>(base) {
        Some(base) => values::remove_path(base, &path),
        None => values::OPA_ERR_INVALID_TYPE,
    }
}

/// `opa_value_free(value)`: reclaimed with the heap (see [`opa_free`]).
#[no_mangle]
pub extern "C" fn opa_value_free(_value: i32) {}

/// `builtins() -> value`: netpol calls no host built-in (`{}`).
#[no_mangle]
pub extern "C" fn builtins() -> i32 {
    store(Value::Object(serde_json::Map::new()))
}

/// `entrypoints() -> value`: `{"netpol/violations": 0, ...}`.
#[no_mangle]
pub extern "C" fn entrypoints() -> i32 {
    store(Entrypoint::table())
}

/// `opa_eval_ctx_new() -> ctx`.
#[no_mangle]
pub extern "C" fn opa_eval_ctx_new() -> i32 {
    store(EvalCtx::default())
}

/// `opa_eval_ctx_set_input(ctx, value)`.
#[no_mangle]
pub extern "C" fn opa_eval_ctx_set_input(ctx: i32, input: i32) {
    if let Some(ctx) = slot::<EvalCtx>(ctx) {
        ctx.input = input;
    }
}

/// `opa_eval_ctx_set_data(ctx, value)`: netpol reads no data document.
#[no_mangle]
pub extern "C" fn opa_eval_ctx_set_data(_ctx: i32, _data: i32) {}

/// `opa_eval_ctx_set_entrypoint(ctx, id)`.
#[no_mangle]
pub extern "C" fn opa_eval_ctx_set_entrypoint(ctx: i32, entrypoint: i32) {
    if let Some(ctx) = slot::<EvalCtx>(ctx) {
        ctx.entrypoint = entrypoint;
    }
}

/// `opa_eval_ctx_get_result(ctx) -> value` (the result set).
#[no_mangle]
pub extern "C" fn opa_eval_ctx_get_result(ctx: i32) -> i32 {
    slot::<EvalCtx>(ctx).map_or(0, |ctx| ctx.result)
}

/// `eval(ctx) -> opa_errc`: evaluates the context's entrypoint on its input.
#[no_mangle]
pub extern "C" fn eval(ctx: i32) -> i32 {
    install_panic_hook();
    let Some((input, entrypoint)) = slot::<EvalCtx>(ctx).map(|c| (c.input, c.entrypoint)) else {
        return values::OPA_ERR_INVALID_TYPE;
    };
    let text = slot::<Value>(input).map_or_else(
        || String::from("null"),
        |v| serde_json::to_string_pretty(v).unwrap_or_default(),
    );
    let result = store(values::result_set(entrypoint, &text));
    if let Some(ctx) = slot::<EvalCtx>(ctx) {
        ctx.result = result;
    }
    values::OPA_ERR_OK
}

/// `opa_eval(reserved, entrypoint, data, input, input_len, heap_ptr, format) ->
/// addr` of the serialised result set. The host wrote the input at `input` and
/// passes the heap pointer just past it.
#[no_mangle]
pub extern "C" fn opa_eval(
    _reserved: i32,
    entrypoint: i32,
    _data: i32,
    input: i32,
    input_len: i32,
    heap: i32,
    format: i32,
) -> i32 {
    install_panic_hook();
    let input_end = (input as u32 as usize).saturating_add(input_len as u32 as usize);
    set_heap_ptr((heap as u32 as usize).max(input_end));
    let text = values::input_text(bytes(input, input_len));
    let set = values::result_set(entrypoint, &text);
    c_string(values::render_result_set(&set, Format::from_code(format)))
}

// ---- panics ---------------------------------------------------------------------

/// Routes panics to the host: the hook calls `opa_abort` with the message, then
/// std's abort traps. Installed by the first export that does work.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::Relaxed) {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let mut message = alloc::format!("netpol: {info}");
        message.push('\0');
        // SAFETY: `message` is a live NUL-terminated byte string; the host reads it.
        unsafe { opa_abort(message.as_ptr()) };
    }));
}
