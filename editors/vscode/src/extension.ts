// The netpol extension: starts `netpol lsp` for the opened folder and connects
// VS Code's language client to it for YAML and JSON files.

import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

import { serverCommand } from "./server";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const settings = vscode.workspace.getConfiguration("netpol");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const found = serverCommand({
    binary: settings.get<string>("path", ""),
    wasiModule: settings.get<string>("wasiModule", ""),
    extensionDir: context.extensionPath,
    workspaceDir: folder,
    searchPath: process.env.PATH ?? "",
    nodePath: process.execPath,
  });
  if (typeof found === "string") {
    void vscode.window.showErrorMessage(found);
    return;
  }
  const serverOptions: ServerOptions = {
    command: found.command,
    args: found.args,
    options: { env: { ...process.env, ...found.env } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
    ],
  };
  client = new LanguageClient("netpol", "netpol", serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
