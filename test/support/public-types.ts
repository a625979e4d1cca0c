/**
 * Reads the built package's declarations as a user's compiler sees them, to
 * check that the entry exports every type a user of the client has to name.
 */
import { dirname } from 'node:path';
import ts from 'typescript';

export interface PackageEntry {
  /** Exported names by kind: classes, other values (functions, constants), and types (interfaces and aliases). */
  classes: string[];
  values: string[];
  types: string[];
  /**
   * The package's named types that the public members of `className` take or
   * return, directly or inside another (a field's type, an array's element,
   * a promise's value), which the entry does not export.
   */
  unexportedTypesOf(className: string): string[];
  /** The public methods of `className`. */
  methodsOf(className: string): string[];
}

/** `entryFile`: the package's `.d.ts` entry; types declared in files beside or below it are the package's own. */
export function readPackageEntry(entryFile: string): PackageEntry {
  const program = ts.createProgram([entryFile], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const packageDir = dirname(entryFile);
  const resolved = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entryFile)!)!).map(resolved);
  const exported = new Set(exports);
  const namesWith = (flags: ts.SymbolFlags, without: ts.SymbolFlags = ts.SymbolFlags.None) =>
    exports
      .filter((symbol) => symbol.flags & flags && !(symbol.flags & without))
      .map((symbol) => symbol.name)
      .sort();
  const ours = (symbol: ts.Symbol | undefined): symbol is ts.Symbol =>
    symbol?.declarations?.some((declaration) => declaration.getSourceFile().fileName.startsWith(`${packageDir}/`)) ?? false;
  const isNamedType = (symbol: ts.Symbol) =>
    (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum)) !== 0;

  function classNamed(name: string): ts.Symbol {
    const symbol = exports.find((candidate) => candidate.name === name && candidate.flags & ts.SymbolFlags.Class);
    if (!symbol) throw new Error(`${entryFile} exports no class ${name}`);
    return symbol;
  }

  function publicMembers(name: string): ts.Symbol[] {
    const instance = checker.getDeclaredTypeOfSymbol(classNamed(name));
    return checker
      .getPropertiesOfType(instance)
      .filter((member) =>
        member.declarations?.every(
          (declaration) =>
            !(ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) &&
            !member.name.startsWith('#'),
        ),
      );
  }

  /**
   * Every named type of the package written in `node`, and in turn in those
   * types' own declarations (fields, aliased types, the fields of the
   * interfaces they extend). The written names are followed rather than the
   * resolved types, which lose the name of an alias.
   */
  function namedTypesIn(node: ts.Node, found: Set<ts.Symbol>, opened = new Set<ts.Symbol>()): void {
    const open = (symbol: ts.Symbol) => {
      if (opened.has(symbol)) return;
      opened.add(symbol);
      for (const declaration of symbol.declarations ?? []) {
        if (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration))
          namedTypesIn(declaration, found, opened);
      }
    };
    const visit = (child: ts.Node): void => {
      // `interface Task extends TaskState`: TaskState's fields are Task's, but a user never has to name TaskState.
      const isBase = ts.isExpressionWithTypeArguments(child);
      if (ts.isTypeReferenceNode(child) || isBase) {
        const at = ts.isTypeReferenceNode(child) ? child.typeName : child.expression;
        const named = checker.getSymbolAtLocation(at);
        const symbol = named && resolved(named);
        if (ours(symbol) && isNamedType(symbol)) {
          if (!isBase) found.add(symbol);
          open(symbol);
        }
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
  }

  return {
    classes: namesWith(ts.SymbolFlags.Class),
    values: namesWith(ts.SymbolFlags.Value, ts.SymbolFlags.Class),
    types: namesWith(ts.SymbolFlags.Type, ts.SymbolFlags.Value),
    unexportedTypesOf(className) {
      const found = new Set<ts.Symbol>();
      const constructors = classNamed(className).members?.get(ts.InternalSymbolName.Constructor);
      for (const member of [...publicMembers(className), ...(constructors ? [constructors] : [])]) {
        for (const declaration of member.declarations ?? []) namedTypesIn(declaration, found);
      }
      found.delete(classNamed(className));
      return [...found]
        .filter((symbol) => !exported.has(symbol))
        .map((symbol) => symbol.name)
        .sort();
    },
    methodsOf(className) {
      return publicMembers(className)
        .filter((member) => member.flags & ts.SymbolFlags.Method)
        .map((member) => member.name);
    },
  };
}
